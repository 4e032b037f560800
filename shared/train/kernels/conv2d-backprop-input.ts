import {
  backend_util,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { copyPixel } from './channel-loops.ts';
import { callWasm, onHeap, withIntermediates, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * wasm's Conv2DBackpropInput loops over every input pixel and filter tap in plain C: at stride 1 it took 41%
 * of a ResNet-mini step, and at stride 2 it is 13–15× slower than the forward conv. Here the input gradient
 * is made of wasm's fast Conv2D instead.
 *
 * Input pixel p gets the gradient of output i through filter tap a where p + padBefore = s·i + a. Split the
 * input rows by phase ρ = p mod s: every row of one phase uses only the taps a ≡ (ρ + padBefore) mod s, and
 * for those the gradient is a stride-1 "full" correlation of dy with that subset of taps, flipped. So the
 * gradient is s×s stride-1 convs (one at stride 1), interleaved back into place: no multiplication by the
 * zeros a dilated dy would carry.
 */
export function fastConv2dBackpropInput(original: KernelFunc) {
  return (args: KernelArgs): TensorInfo => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (attrs.dataFormat !== 'NHWC') return original(args) as TensorInfo;
    const filterShape = filter.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(
      attrs.inputShape,
      filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const rows = (ρ: number) =>
      phaseOf(ρ, info.strideHeight, info.padInfo.top, filterShape[0], info.inHeight, info.outHeight);
    const cols = (σ: number) =>
      phaseOf(σ, info.strideWidth, info.padInfo.left, filterShape[1], info.inWidth, info.outWidth);
    const { backend } = args;
    return withIntermediates(backend, (keep) => {
      const image = (ρ: number, σ: number) => phaseImage(backend, keep, dy, filter, rows(ρ), cols(σ));
      if (info.strideHeight === 1 && info.strideWidth === 1) return image(0, 0)!;
      const phases = range(info.strideHeight).flatMap((ρ) =>
        range(info.strideWidth).flatMap((σ) => {
          const pixels = image(ρ, σ);
          return pixels ? [{ ρ, σ, pixels: keep(pixels) }] : [];
        }),
      );
      const strides = [info.strideHeight, info.strideWidth] as const;
      return interleave(backend, phases, attrs.inputShape, strides);
    });
  };
}

/** Along one spatial axis: the taps and the dy window that give the input positions of one phase. */
interface Phase {
  stride: number;
  /** The first filter tap of this phase, and how many taps (every stride-th) it has. */
  firstTap: number;
  taps: number;
  /** Input positions of this phase, rounded up to the same count for every phase. */
  count: number;
  /** dy padding (negative: cropping) before and after, so a valid conv yields exactly `count` positions. */
  before: number;
  after: number;
}

function phaseOf(ρ: number, s: number, padBefore: number, k: number, inSize: number, outSize: number): Phase {
  const firstTap = (ρ + padBefore) % s;
  const firstOutput = Math.floor((ρ + padBefore) / s);
  const taps = firstTap < k ? Math.ceil((k - firstTap) / s) : 0;
  const count = Math.ceil(inSize / s);
  return {
    stride: s,
    firstTap,
    taps,
    count,
    before: taps - 1 - firstOutput,
    after: count - outSize + firstOutput,
  };
}

type Keep = (t: TensorInfo) => TensorInfo;

/**
 * The input gradient at the positions of one (row, column) phase: [n, rows.count, cols.count, cin]; null
 * where no filter tap falls in the phase (a stride larger than the kernel), so those positions stay zero.
 */
function phaseImage(
  backend: KernelBackend,
  keep: Keep,
  dy: TensorInfo,
  filter: TensorInfo,
  rows: Phase,
  cols: Phase,
): TensorInfo | null {
  if (rows.taps === 0 || cols.taps === 0) return null;
  const swapped = keep(phaseFilter(backend, filter, rows, cols));
  const window = padOrCrop(backend, keep, dy, rows, cols);
  return callWasm(
    'Conv2D',
    backend,
    { x: window, filter: swapped },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
  );
}

/**
 * One phase's filter taps, flipped and with the channels swapped: [rows.taps, cols.taps, cout, cin], from
 * tap (firstTap + stride·(taps − 1 − i)) of each axis. One JavaScript pass; wasm's StridedSlice, Reverse and
 * Transpose took a millisecond or more each even on a 3×3×32×64 filter.
 */
function phaseFilter(backend: KernelBackend, filter: TensorInfo, rows: Phase, cols: Phase): TensorInfo {
  const [, kw, cin, cout] = filter.shape as [number, number, number, number];
  const tap = (p: Phase, i: number) => p.firstTap + p.stride * (p.taps - 1 - i);
  return onHeap(backend, [rows.taps, cols.taps, cout, cin], [filter], (out, f) => {
    let to = 0;
    for (let i = 0; i < rows.taps; i++) {
      for (let j = 0; j < cols.taps; j++) {
        const from = (tap(rows, i) * kw + tap(cols, j)) * cin * cout;
        for (let o = 0; o < cout; o++) for (let c = 0; c < cin; c++) out[to++] = f![from + c * cout + o]!;
      }
    }
  });
}

/** dy with `before`/`after` rows and columns added (zeros) or, where negative, cut off. */
function padOrCrop(backend: KernelBackend, keep: Keep, dy: TensorInfo, rows: Phase, cols: Phase): TensorInfo {
  const [n, h, w, c] = dy.shape as [number, number, number, number];
  const cut = (v: number) => Math.max(0, -v);
  const add = (v: number) => Math.max(0, v);
  let out = dy;
  if (Math.min(rows.before, rows.after, cols.before, cols.after) < 0) {
    const begin = [0, cut(rows.before), cut(cols.before), 0];
    const size = [n, h - begin[1]! - cut(rows.after), w - begin[2]! - cut(cols.after), c];
    out = keep(callWasm('Slice', backend, { x: out }, { begin, size }));
  }
  if (Math.max(rows.before, rows.after, cols.before, cols.after) > 0) {
    const paddings = [
      [0, 0],
      [add(rows.before), add(rows.after)],
      [add(cols.before), add(cols.after)],
      [0, 0],
    ];
    out = keep(callWasm('PadV2', backend, { x: out }, { paddings, constantValue: 0 }));
  }
  return out;
}

/**
 * Puts phase images back in place: a phase (ρ, σ) holds input pixels (s·i + ρ, s·j + σ). JavaScript on the
 * wasm heap, one pass: wasm's Concat copies one pixel's channels per call, far slower here.
 */
function interleave(
  backend: KernelBackend,
  phases: { ρ: number; σ: number; pixels: TensorInfo }[],
  inputShape: number[],
  [sh, sw]: readonly [number, number],
): TensorInfo {
  const [n, h, w, c] = inputShape as [number, number, number, number];
  const [, hs, ws] = phases[0]!.pixels.shape as [number, number, number, number];
  return onHeap(
    backend,
    inputShape,
    phases.map((p) => p.pixels),
    (out, ...images) => {
      if (phases.length < sh * sw) out.fill(0);
      phases.forEach(({ ρ, σ }, k) => {
        const image = images[k]!;
        for (let b = 0; b < n; b++) {
          for (let i = 0, p = ρ; i < hs && p < h; i++, p += sh) {
            for (let j = 0, q = σ; j < ws && q < w; j++, q += sw) {
              copyPixel(out, ((b * h + p) * w + q) * c, image, ((b * hs + i) * ws + j) * c, c);
            }
          }
        }
      });
    },
  );
}

const range = (k: number) => Array.from({ length: k }, (_, i) => i);
