import { slice_util, type KernelFunc, type SliceAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { onHeap, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * wasm's Slice of an NHWC batch copies each pixel's channels with its own subarray and set: cropping
 * 128×30×30×16 to 28×28 (the gradient of the zero padding before ResNet-mini's stride-2 convs) took 10–40 ms.
 * When the slice keeps every channel, each image row's pixels are one contiguous run, copied at once. Other
 * slices keep wasm's kernel.
 */
export function pixelRowsSlice(original: KernelFunc) {
  return (args: KernelArgs): TensorInfo => {
    const { x } = args.inputs as { x: TensorInfo };
    const { begin, size } = args.attrs as unknown as SliceAttrs;
    const [from, count] = slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
    const [, h, w, c] = x.shape as [number, number, number, number];
    if (x.dtype !== 'float32' || x.shape.length !== 4 || count[3] !== c || from[3] !== 0)
      return original(args) as TensorInfo;
    const run = count[2]! * c;
    return onHeap(args.backend, count, [x], (out, xs) => {
      let to = 0;
      for (let b = from[0]!; b < from[0]! + count[0]!; b++) {
        for (let i = from[1]!; i < from[1]! + count[1]!; i++, to += run) {
          const start = ((b * h + i) * w + from[2]!) * c;
          out.set(xs!.subarray(start, start + run), to);
        }
      }
    });
  };
}
