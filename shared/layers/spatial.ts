import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { Shape } from '../shape.ts';
import { formatPair, pair, type IntOrPair, type Padding } from './params.ts';
import { ConstantPad2D } from './tfjs/constant-pad.ts';
import { pyNumber } from './torch-syntax.ts';

/** Padding resolved to explicit amounts per side, in PyTorch's sense (applied before the window slides). */
export interface Pads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface Window {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
}

export function windowOf(kernel: IntOrPair, stride: IntOrPair | null, dilation: IntOrPair = 1): Window {
  return { kernel: pair(kernel), stride: pair(stride ?? kernel), dilation: pair(dilation) };
}

function effectiveKernel(w: Window, axis: 0 | 1): number {
  return w.dilation[axis] * (w.kernel[axis] - 1) + 1;
}

/** "same" keeps the size at stride 1 (PyTorch puts the odd pixel after); "valid" is no padding. */
export function resolvePads(padding: Padding, w: Window): Pads {
  if (padding === 'valid') return { top: 0, bottom: 0, left: 0, right: 0 };
  if (padding === 'same') {
    const th = effectiveKernel(w, 0) - 1;
    const tw = effectiveKernel(w, 1) - 1;
    return { top: th >> 1, bottom: th - (th >> 1), left: tw >> 1, right: tw - (tw >> 1) };
  }
  const [ph, pw] = pair(padding);
  return { top: ph, bottom: ph, left: pw, right: pw };
}

export const hasPadding = (p: Pads): boolean => p.top + p.bottom + p.left + p.right > 0;

/** Whether PyTorch's layer padding (one amount per axis, both sides) can say these pads. */
export const symmetricPads = (p: Pads): boolean => p.top === p.bottom && p.left === p.right;

/** F.pad of an NCHW expression: PyTorch lists the last axis first (left, right, top, bottom). */
export function torchPad(x: string, p: Pads, value = 0): string {
  const fill = value === 0 ? '' : `, value=${pyNumber(value)}`;
  return `F.pad(${x}, (${p.left}, ${p.right}, ${p.top}, ${p.bottom})${fill})`;
}

function axisOut(size: number, before: number, after: number, w: Window, axis: 0 | 1, ceil: boolean): number {
  const span = size + before + after - effectiveKernel(w, axis);
  const s = w.stride[axis];
  if (!ceil) return Math.floor(span / s) + 1;
  let out = Math.ceil(span / s) + 1;
  // PyTorch: the last window must start inside the input or the leading padding.
  if ((out - 1) * s >= size + before) out -= 1;
  return out;
}

/** Output H×W of a sliding window, or a message when the kernel does not fit the padded input. */
export function slideWindow(
  input: readonly [number, number, number],
  pads: Pads,
  w: Window,
  ceil = false,
): { ok: true; hw: [number, number] } | { ok: false; message: string } {
  const [, h, wd] = input;
  const paddedH = h + pads.top + pads.bottom;
  const paddedW = wd + pads.left + pads.right;
  const kh = effectiveKernel(w, 0);
  const kw = effectiveKernel(w, 1);
  if (kh > paddedH || kw > paddedW) {
    return {
      ok: false,
      message:
        `The ${formatPair([kh, kw])} window is larger than its padded input ${formatPair([paddedH, paddedW])}. ` +
        'Use a smaller kernel, add padding, or remove a pooling or strided layer before this one.',
    };
  }
  return {
    ok: true,
    hw: [axisOut(h, pads.top, pads.bottom, w, 0, ceil), axisOut(wd, pads.left, pads.right, w, 1, ceil)],
  };
}

/** Extra bottom/right padding so that a "valid" tfjs window yields the ceil-mode output size. */
export function ceilPads(input: Shape, pads: Pads, w: Window, out: readonly [number, number]): Pads {
  const needH = (out[0] - 1) * w.stride[0] + effectiveKernel(w, 0);
  const needW = (out[1] - 1) * w.stride[1] + effectiveKernel(w, 1);
  const [, h = 0, wd = 0] = input;
  return {
    ...pads,
    bottom: pads.bottom + Math.max(0, needH - (h + pads.top + pads.bottom)),
    right: pads.right + Math.max(0, needW - (wd + pads.left + pads.right)),
  };
}

/** True when tfjs's own "same" padding is exactly these pads (stride 1 only; tfjs also puts the odd pixel after). */
export function tfjsSameMatches(pads: Pads, w: Window): boolean {
  if (w.stride[0] !== 1 || w.stride[1] !== 1) return false;
  const same = resolvePads('same', w);
  return (
    pads.top === same.top &&
    pads.bottom === same.bottom &&
    pads.left === same.left &&
    pads.right === same.right
  );
}

/**
 * Pads x exactly as PyTorch would, returning the tensor and the tfjs padding mode for the window op.
 * Zero padding uses ZeroPadding2D; max pooling pads with -Infinity so padding never wins the max.
 * Given the window, padding that tfjs's own "same" reproduces is left to it (no extra layer).
 */
export function padForWindow(
  x: SymbolicTensor,
  pads: Pads,
  name: string,
  fill: 0 | typeof Number.NEGATIVE_INFINITY,
  sameWindow?: Window,
): { x: SymbolicTensor; padding: 'same' | 'valid' } {
  if (!hasPadding(pads)) return { x, padding: 'valid' };
  if (sameWindow && tfjsSameMatches(pads, sameWindow)) return { x, padding: 'same' };
  const amounts: [[number, number], [number, number]] = [
    [pads.top, pads.bottom],
    [pads.left, pads.right],
  ];
  const layer =
    fill === 0
      ? layers.zeroPadding2d({ padding: amounts, name: `${name}_pad` })
      : new ConstantPad2D({ pads: amounts, value: fill, name: `${name}_pad` });
  return { x: layer.apply(x) as SymbolicTensor, padding: 'valid' };
}
