import {
  backend_util,
  util,
  type KernelFunc,
  type SplitVAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { copyPixel } from './channel-loops.ts';
import { onHeap, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * The gradient of a channel concatenation splits the channels again. wasm's SplitV slices each part with a
 * subarray and set per pixel: a DenseNet-mini step spent 300 ms there. Here each part's channels are copied
 * value by value, four at a time. Other splits keep wasm's kernel.
 */
export function channelSplit(original: KernelFunc) {
  return (args: KernelArgs): TensorInfo[] => {
    const { x } = args.inputs as { x: TensorInfo };
    const { numOrSizeSplits, axis } = args.attrs as unknown as SplitVAttrs;
    const rank = x.shape.length;
    if (util.parseAxisParam(axis, x.shape)[0] !== rank - 1 || rank < 2 || x.dtype !== 'float32')
      return original(args) as TensorInfo[];
    const widths = backend_util.prepareSplitSize(x, numOrSizeSplits, rank - 1);
    const channels = x.shape[rank - 1]!;
    const pixels = util.sizeFromShape(x.shape) / channels;
    let offset = 0;
    return widths.map((width) => {
      const from = offset;
      offset += width;
      return onHeap(args.backend, [...x.shape.slice(0, -1), width], [x], (out, xs) => {
        for (let p = 0; p < pixels; p++) copyPixel(out, p * width, xs!, p * channels + from, width);
      });
    });
  };
}
