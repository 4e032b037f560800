import {
  backend_util,
  getKernel,
  registerKernel,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-wasm 4.22 ships no Conv2DBackpropFilter kernel (tfjs issue 8474), so conv nets cannot train
 * on it. This composes one from wasm's own kernels: the filter gradient is a convolution of the input
 * (channels as batch) with the output gradient (batch as channels), dilated by the forward stride:
 *   dW = transpose(conv2d(transpose(pad(x), [3,1,2,0]), transpose(dy, [1,2,0,3]), dilations = strides), [1,2,0,3])
 * sliced to the kernel size.
 */

function call(name: string, backend: KernelBackend, inputs: NamedTensorInfoMap, attrs: object): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

function conv2dBackpropFilter({
  inputs,
  backend,
  attrs,
}: {
  inputs: NamedTensorInfoMap;
  backend: KernelBackend;
  attrs?: NamedAttrMap;
}): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const [n, h, w, cin] = x.shape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(
    [n, h, w, cin],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { top, left } = info.padInfo;
  const kh = info.filterHeight;
  const kw = info.filterWidth;
  const needH = (info.outHeight - 1) * info.strideHeight + kh;
  const needW = (info.outWidth - 1) * info.strideWidth + kw;
  const temporaries: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (temporaries.push(t), t);
  try {
    const padded = keep(
      call(
        'PadV2',
        backend,
        { x },
        {
          paddings: [
            [0, 0],
            [top, Math.max(0, needH - h - top)],
            [left, Math.max(0, needW - w - left)],
            [0, 0],
          ],
          constantValue: 0,
        },
      ),
    );
    const channelsAsBatch = keep(call('Transpose', backend, { x: padded }, { perm: [3, 1, 2, 0] }));
    const gradAsFilter = keep(call('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] }));
    const conv = keep(
      call(
        'Conv2D',
        backend,
        { x: channelsAsBatch, filter: gradAsFilter },
        {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          dilations: [info.strideHeight, info.strideWidth],
        },
      ),
    );
    const cout = filterShape[3];
    const sliced = keep(
      call('Slice', backend, { x: conv }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] }),
    );
    return call('Transpose', backend, { x: sliced }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

let registered = false;

/** Adds the missing gradient kernel to the wasm backend; call once the backend is registered. */
export function registerWasmTrainingKernels(): void {
  if (registered || getKernel('Conv2DBackpropFilter', 'wasm')) return;
  registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: conv2dBackpropFilter as never,
  });
  registered = true;
}
