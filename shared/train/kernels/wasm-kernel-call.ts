import {
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** What tfjs passes a kernel function. */
export type KernelArgs = { inputs: NamedTensorInfoMap; backend: KernelBackend; attrs?: NamedAttrMap };

/** Runs one of the wasm backend's own kernels from inside another kernel. */
export function callWasm(
  name: string,
  backend: KernelBackend,
  inputs: NamedTensorInfoMap,
  attrs: object,
): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

/**
 * Runs `body` with a `keep` that marks intermediate results; they are freed when `body` ends, whether it
 * returns or throws. The result `body` returns is the caller's.
 */
export function withIntermediates(
  backend: KernelBackend,
  body: (keep: (t: TensorInfo) => TensorInfo) => TensorInfo,
): TensorInfo {
  const intermediates: TensorInfo[] = [];
  try {
    return body((t) => (intermediates.push(t), t));
  } finally {
    for (const t of intermediates) backend.disposeData(t.dataId);
  }
}

/** The parts of tfjs-backend-wasm's backend that JavaScript kernels use (its class is not exported). */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

/**
 * For kernels written in JavaScript on the wasm heap: allocates the output, then hands `body` views of the
 * inputs and the output. The views are taken after the allocation, which may grow (and replace) the heap.
 */
export function onHeap(
  backend: KernelBackend,
  outShape: number[],
  inputs: TensorInfo[],
  body: (out: Float32Array, ...ins: Float32Array[]) => void,
): TensorInfo {
  const heap = backend as unknown as WasmHeap;
  const out = heap.makeOutput(outShape, 'float32');
  body(heap.typedArrayFromHeap(out), ...inputs.map((t) => heap.typedArrayFromHeap(t)));
  return out;
}
