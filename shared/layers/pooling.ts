import { z } from 'zod';
import type { Shape } from '../shape.ts';
import { expectImage, fail, ok, problem, type ShapeRuleResult, type Sight } from './kind.ts';
import { intOrPair, pair } from './params.ts';
import { ceilPads, resolvePads, slideWindow, windowOf, type Pads, type Window } from './spatial.ts';
import { pyArgs, pyBool, pyPair } from './torch-syntax.ts';

/** What max and average pooling share: PyTorch's kernel, stride (defaults to kernel), padding and ceil mode. */
export const poolingParams = {
  kernel: intOrPair(1).default(2),
  stride: intOrPair(1).nullable().default(null),
  padding: intOrPair(0).default(0),
  ceilMode: z.boolean().default(false),
};

export interface PoolingParams {
  kernel: number | readonly [number, number];
  stride: number | readonly [number, number] | null;
  padding: number | readonly [number, number];
  ceilMode: boolean;
}

export function poolingWindow(p: PoolingParams): Window {
  return windowOf(p.kernel, p.stride);
}

export function inferPooling(x: Shape, p: PoolingParams, title: string): ShapeRuleResult {
  const bad = expectImage(x, title);
  if (bad) return fail(bad);
  const w = poolingWindow(p);
  const [ph, pw] = pair(p.padding);
  if (2 * ph > w.kernel[0] || 2 * pw > w.kernel[1]) {
    return problem(
      'badParams',
      `Padding ${ph}×${pw} is more than half the kernel; lower it to at most kernel // 2.`,
    );
  }
  const out = slideWindow(x as [number, number, number], resolvePads(p.padding, w), w, p.ceilMode);
  return out.ok ? ok([x[0]!, ...out.hw]) : problem('kernelTooLarge', out.message, 'in');
}

/** A pooling window and its padding (ceil mode's extra row or column lies past the last window's start). */
export function poolingSight(p: PoolingParams): Sight {
  const window = poolingWindow(p);
  return { window, pads: resolvePads(p.padding, window) };
}

/** One comparison or addition per kernel element and output element. */
export function poolingFlops(out: Shape, p: PoolingParams): number {
  const [kh, kw] = poolingWindow(p).kernel;
  return kh * kw * out[0]! * out[1]! * out[2]!;
}

/** Padding to apply before a "valid" tfjs window so that it yields PyTorch's output size. */
export function compiledPads(input: Shape, output: Shape, p: PoolingParams): Pads {
  const w = poolingWindow(p);
  const pads = resolvePads(p.padding, w);
  return p.ceilMode ? ceilPads(input, pads, w, [output[1]!, output[2]!]) : pads;
}

/** A Keras pooling layer with this window and padding mode. */
export function kerasPooling(layer: string, w: Window, padding: 'same' | 'valid'): string {
  const args = pyArgs([
    ['pool_size', pyPair(w.kernel)],
    ['strides', pyPair(w.stride)],
    ['padding', `"${padding}"`, '"valid"'],
  ]);
  return `layers.${layer}(${args})`;
}

/** PyTorch's pooling module with the same window, padding and ceil mode (the padding rules are PyTorch's). */
export function torchPooling(
  module: string,
  p: PoolingParams,
  extra: [string, string, string][] = [],
): string {
  const w = poolingWindow(p);
  const args = pyArgs([
    ['kernel_size', pyPair(w.kernel)],
    ['stride', pyPair(w.stride)],
    ['padding', pyPair(pair(p.padding)), '(0, 0)'],
    ['ceil_mode', pyBool(p.ceilMode), 'False'],
    ...extra,
  ]);
  return `nn.${module}(${args})`;
}
