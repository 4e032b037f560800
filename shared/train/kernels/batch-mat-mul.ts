import type { BatchMatMulAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { callWasm, withIntermediates, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * wasm's BatchMatMul runs XNNPACK only when neither side is transposed; otherwise it runs a plain triple
 * loop. Every Dense gradient is a transposed product (dy·Wᵀ, xᵀ·dy): 14% of a VGG-mini step. Transposing
 * first (a fast copy) lets both take XNNPACK's path.
 */
export function untransposedBatchMatMul(original: KernelFunc) {
  return (args: KernelArgs): TensorInfo => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    if (!transposeA && !transposeB) return original(args) as TensorInfo;
    const { backend } = args;
    return withIntermediates(backend, (keep) => {
      const swapLastTwo = (t: TensorInfo) => {
        const perm = t.shape.map((_, i) => i);
        perm.splice(-2, 2, perm.length - 1, perm.length - 2);
        return keep(callWasm('Transpose', backend, { x: t }, { perm }));
      };
      const inputs = { a: transposeA ? swapLastTwo(a) : a, b: transposeB ? swapLastTwo(b) : b };
      const attrs = { ...args.attrs, transposeA: false, transposeB: false };
      return original({ inputs, backend, attrs }) as TensorInfo;
    });
  };
}
