import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BatchNormGradAttrs } from '../../layers/tfjs/batch-norm-training.ts';
import { channelAffine, channelProductTotals } from './channel-loops.ts';
import { onHeap, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * The closed-form BatchNorm gradient of a training batch (shared/layers/tfjs/batch-norm-training.ts) in two
 * passes instead of about nine tensor operations: Σdy and Σdy·x per channel, then per element
 *   dx = γ/σ · (dy − Σdy/m − x̂·Σdy·x̂/m) = A·dy + B·x + D,   Σdy·x̂ = (Σdy·x − μ·Σdy)/σ,
 * with A, B, D per channel. Answers [dx, dγ = Σdy·x̂, dβ = Σdy]. JavaScript on the wasm heap.
 */
export function batchNormGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { dy, x, mean, variance, gamma } = inputs as Record<string, TensorInfo>;
  const { varianceEpsilon } = attrs as unknown as BatchNormGradAttrs;
  const channels = x!.shape.at(-1)!;
  const sumDy = new Float64Array(channels);
  const sumDyX = new Float64Array(channels);
  const [a, b, d] = [new Float64Array(channels), new Float64Array(channels), new Float64Array(channels)];
  const dGamma = onHeap(backend, [channels], [dy!, x!, mean!, variance!, gamma!], (dg, g, xs, mu, s2, ga) => {
    channelProductTotals(g!, xs!, channels, sumDy, sumDyX);
    const m = xs!.length / channels;
    for (let c = 0; c < channels; c++) {
      const inv = 1 / Math.sqrt(s2![c]! + varianceEpsilon);
      const sumDyXHat = (sumDyX[c]! - mu![c]! * sumDy[c]!) * inv;
      dg[c] = sumDyXHat;
      a[c] = ga![c]! * inv;
      b[c] = (-a[c]! * inv * sumDyXHat) / m;
      d[c] = (-a[c]! * sumDy[c]!) / m - b[c]! * mu![c]!;
    }
  });
  const dBeta = onHeap(backend, [channels], [], (db) => db.set(sumDy));
  const dx = onHeap(backend, x!.shape, [dy!, x!], (out, g, xs) => channelAffine(out, g!, xs!, [a, b, d]));
  return [dx, dGamma, dBeta];
}
