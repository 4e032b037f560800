import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './wasm-kernel-call.ts';

/**
 * wasm's Identity copies its input, where the cpu and webgl backends share the data and count the new
 * reference (tensors never change in place). Training runs Identity for every custom gradient's output and
 * for gradients passed through unchanged: forty copies of whole activation batches in a ResNet-mini step
 * (15–20 ms). Here it shares, as the other backends do; strings keep wasm's kernel.
 */
export function sharedIdentity(original: KernelFunc) {
  return (args: KernelArgs): TensorInfo => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return original(args) as TensorInfo;
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
