import type { FusedBatchNormAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { channelAffine } from './channel-loops.ts';
import { onHeap, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * wasm's FusedBatchNorm took 55 of 158 ms of a ResNet-mini inference batch. With per-channel statistics
 * (every BatchNorm layer's), it is y = x·a + b with a = γ/√(σ² + ε), b = β − μ·a per channel: one pass over
 * memory (JavaScript on the wasm heap). Other shapes keep wasm's kernel.
 */
export function perChannelBatchNorm(original: KernelFunc) {
  return (args: KernelArgs): TensorInfo => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined>;
    const channels = x!.shape.at(-1)!;
    const stats = [mean!, variance!, ...(offset ? [offset] : []), ...(scale ? [scale] : [])];
    const perChannel = stats.every((t) => t.shape.reduce((a, b) => a * b, 1) === channels);
    if (x!.dtype !== 'float32' || !perChannel) return original(args) as TensorInfo;
    const { varianceEpsilon } = args.attrs as unknown as FusedBatchNormAttrs;
    return onHeap(args.backend, x!.shape, [x!, ...stats], (y, xs, mu, sigma2, ...rest) => {
      const beta = offset ? rest[0] : undefined;
      const gamma = scale ? rest[offset ? 1 : 0] : undefined;
      const a = new Float64Array(channels);
      const b = new Float64Array(channels);
      for (let c = 0; c < channels; c++) {
        a[c] = (gamma ? gamma[c]! : 1) / Math.sqrt(sigma2![c]! + varianceEpsilon);
        b[c] = (beta ? beta[c]! : 0) - mu![c]! * a[c]!;
      }
      // y = a·x + b: the affine map with x as its second term, weighted 0.
      channelAffine(y, xs!, xs!, [a, new Float64Array(channels), b]);
    });
  };
}
