import type { TensorInfo } from '@tensorflow/tfjs-core';
import { channelProductTotals } from './channel-loops.ts';
import { onHeap, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * A training batch's per-channel mean and (biased) variance, for BatchNorm: one pass taking Σx and Σx² in
 * float64, where tfjs's moments() takes four (a mean, a broadcast subtraction, a square, a mean). In float64
 * the cancellation in Σx²/m − μ² loses nothing a float32 variance keeps unless |μ| is some million times σ
 * (the test's channels have μ = 40, σ = 3). JavaScript on the wasm heap.
 */
export function channelMoments({ inputs, backend }: KernelArgs): TensorInfo[] {
  const { x } = inputs as { x: TensorInfo };
  const channels = x.shape.at(-1)!;
  const sums = new Float64Array(channels);
  const squares = new Float64Array(channels);
  const rows = x.shape.reduce((a, b) => a * b, 1) / channels;
  const mean = onHeap(backend, [channels], [x], (mu, xs) => {
    channelProductTotals(xs!, xs!, channels, sums, squares);
    for (let c = 0; c < channels; c++) mu[c] = sums[c]! / rows;
  });
  const variance = onHeap(backend, [channels], [], (v) => {
    for (let c = 0; c < channels; c++) v[c] = Math.max(0, squares[c]! / rows - (sums[c]! / rows) ** 2);
  });
  return [mean, variance];
}
