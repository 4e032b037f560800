import { util, type KernelFunc, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { channelTotals } from './channel-loops.ts';
import { onHeap, type KernelArgs } from './wasm-kernel-call.ts';

/** Whether `axes` are every axis but the last: a per-channel reduction of an NHWC batch. */
function allButLast(axes: number[], rank: number): boolean {
  const sorted = [...axes].sort((a, b) => a - b);
  return rank >= 2 && sorted.length === rank - 1 && sorted.every((a, i) => a === i);
}

/**
 * wasm's Sum and Mean reduce innermost axes only, so a per-channel reduction (a BatchNorm's statistics and
 * gradients, a conv's bias gradient) first transposed the whole batch to put the channels outermost: Sum and
 * Mean were 18% of a ResNet-mini step. Here the totals are taken in place (JavaScript on the wasm heap).
 * Other reductions keep wasm's kernel.
 */
export function perChannelReduction(kind: 'sum' | 'mean') {
  return (original: KernelFunc) =>
    (args: KernelArgs): TensorInfo => {
      const { x } = args.inputs as { x: TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as SumAttrs;
      const rank = x.shape.length;
      const size = util.sizeFromShape(x.shape);
      if (x.dtype !== 'float32' || size === 0 || !allButLast(util.parseAxisParam(axis, x.shape), rank))
        return original(args) as TensorInfo;
      const channels = x.shape[rank - 1]!;
      const outShape = keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels];
      return onHeap(args.backend, outShape, [x], (out, xs) => {
        channelTotals(xs!, channels, out);
        if (kind === 'mean') for (let c = 0; c < channels; c++) out[c] = (out[c]! * channels) / size;
      });
    };
}
