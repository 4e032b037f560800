import type { TensorInfo } from '@tensorflow/tfjs-core';
import { channelProductTotals } from './channel-loops.ts';
import { onHeap, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * A training batch's per-channel mean and (biased) variance, for BatchNorm: one pass taking Σx and Σx² in
 * float64 (variance = Σx²/m − μ², exact enough in float64 for any activation a float32 holds), where tfjs's
 * moments() takes four (a mean, a broadcast subtraction, a square, a mean). JavaScript on the wasm heap.
 */
export function channelMoments({ inputs, backend }: KernelArgs): TensorInfo[] {
  const { x } = inputs as { x: TensorInfo };
  const channels = x.shape.at(-1)!;
  const sums = new Float64Array(channels);
  const squares = new Float64Array(channels);
  const mean = onHeap(backend, [channels], [x], (mu, xs) => {
    channelProductTotals(xs!, xs!, channels, sums, squares);
    for (let c = 0; c < channels; c++) mu[c] = (sums[c]! * channels) / xs!.length;
  });
  const variance = onHeap(backend, [channels], [x], (v, xs) => {
    const rows = xs!.length / channels;
    for (let c = 0; c < channels; c++) v[c] = Math.max(0, squares[c]! / rows - (sums[c]! / rows) ** 2);
  });
  return [mean, variance];
}
