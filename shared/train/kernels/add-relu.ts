import type { TensorInfo } from '@tensorflow/tfjs-core';
import { onHeap, type KernelArgs } from './wasm-kernel-call.ts';

/** The inference plan's residual join: max(a + b, 0) of two tensors of one shape. */
export const ADD_RELU = 'AddRelu';

/**
 * A residual Add and the ReLU after it in one pass, where wasm's Add and Relu take two (13% of a
 * ResNet-mini inference batch). JavaScript on the wasm heap.
 */
export function addRelu({ inputs, backend }: KernelArgs): TensorInfo {
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  return onHeap(backend, a.shape, [a, b], (out, x, y) => {
    for (let i = 0; i < out.length; i++) {
      const sum = x![i]! + y![i]!;
      out[i] = sum > 0 ? sum : 0;
    }
  });
}
