import {
  add,
  backend_util,
  getKernel,
  mul,
  registerGradient,
  registerKernel,
  reshape,
  rsqrt,
  scalar,
  sub,
  sum,
  unregisterKernel,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type FusedBatchNormAttrs,
  type KernelFunc,
  type Tensor,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** Training speed-ups for tfjs 4.22, measured with bench/train.bench.ts (see docs there). */

/**
 * tfjs-backend-wasm 4.22 ships no Conv2DBackpropFilter kernel (tfjs issue 8474), so conv nets cannot train
 * on it. This composes one from wasm's own kernels: the filter gradient is a convolution of the input
 * (channels as batch) with the output gradient (batch as channels), dilated by the forward stride:
 *   dW = transpose(conv2d(transpose(pad(x), [3,1,2,0]), transpose(dy, [1,2,0,3]), dilations = strides), [1,2,0,3])
 * sliced to the kernel size.
 */

type KernelArgs = { inputs: NamedTensorInfoMap; backend: KernelBackend; attrs?: NamedAttrMap };

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

/**
 * wasm's Conv2DBackpropInput is slow (41% of a ResNet-mini step). At stride 1 the input gradient is a plain
 * convolution of the padded output gradient with the filter flipped in space and transposed in channels,
 * which wasm runs fast. (Dilating dy to do the same at stride 2 measured no faster, so strided convs keep
 * wasm's kernel.)
 */
function fastConv2dBackpropInput(original: KernelFunc) {
  return (args: KernelArgs): TensorInfo => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
      args.attrs as unknown as Conv2DBackpropInputAttrs;
    const [kh, kw] = filter.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = info.inHeight + kh - 1 - info.outHeight - top;
    const right = info.inWidth + kw - 1 - info.outWidth - left;
    const plain = info.strideHeight === 1 && info.strideWidth === 1 && dataFormat === 'NHWC';
    if (!plain || Math.min(top, left, bottom, right) < 0) return original(args) as TensorInfo;
    const { backend } = args;
    const temporaries: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temporaries.push(t), t);
    try {
      const flipped = keep(call('Reverse', backend, { x: filter }, { dims: [0, 1] }));
      const swapped = keep(call('Transpose', backend, { x: flipped }, { perm: [0, 1, 3, 2] }));
      const padded = keep(
        call(
          'PadV2',
          backend,
          { x: dy },
          {
            paddings: [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ],
            constantValue: 0,
          },
        ),
      );
      return call(
        'Conv2D',
        backend,
        { x: padded, filter: swapped },
        { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
      );
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}

/**
 * tfjs's FusedBatchNorm gradient tiles 1/sqrt(var) to the full size of x before multiplying (about 20% of a
 * ResNet-mini step). Broadcasting a per-channel vector gives the same numbers without the copy.
 */
function registerBatchNormGradient(): void {
  registerGradient({
    kernelName: 'FusedBatchNorm',
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const g = dy as Tensor;
      const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
      const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
      const gamma = scale ?? scalar(1);
      const axes = backend_util.getReductionAxes(mean.shape, x.shape);
      const reduce = (t: Tensor) => reshape(mean.rank === 1 ? sum(t, axes) : t, mean.shape);
      const invStd = rsqrt(add(variance, scalar(varianceEpsilon)));
      const centred = sub(x, mean);
      const gScaled = mul(g, gamma);
      return {
        x: () => mul(g, mul(invStd, gamma)),
        mean: () => reduce(mul(gScaled, mul(invStd, scalar(-1)))),
        variance: () =>
          reduce(mul(mul(gScaled, centred), mul(mul(mul(invStd, invStd), invStd), scalar(-0.5)))),
        scale: () => reduce(mul(g, mul(centred, invStd))),
        offset: () => reduce(g),
      };
    },
  });
}

let registered = false;

/** Adds the missing and faster training kernels; call after the backends are registered. */
export function registerTrainingKernels(): void {
  if (registered) return;
  registered = true;
  registerBatchNormGradient();
  if (!getKernel('Conv2DBackpropFilter', 'wasm')) {
    registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: conv2dBackpropFilter as never,
    });
  }
  const input = getKernel('Conv2DBackpropInput', 'wasm');
  if (input) {
    unregisterKernel('Conv2DBackpropInput', 'wasm');
    registerKernel({
      kernelName: 'Conv2DBackpropInput',
      backendName: 'wasm',
      kernelFunc: fastConv2dBackpropInput(input.kernelFunc) as never,
    });
  }
}
