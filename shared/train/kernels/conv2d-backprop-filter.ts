import { backend_util, type Conv2DBackpropFilterAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { callWasm, withIntermediates, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * tfjs-backend-wasm 4.22 ships no Conv2DBackpropFilter kernel (tfjs issue 8474), so conv nets cannot train
 * on it. This composes one from wasm's own kernels: the filter gradient is a convolution of the input
 * (channels as batch) with the output gradient (batch as channels), dilated by the forward stride:
 *   dW = transpose(conv2d(transpose(pad(x), [3,1,2,0]), transpose(dy, [1,2,0,3]), dilations = strides), [1,2,0,3])
 * sliced to the kernel size.
 */
export function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
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
  return withIntermediates(backend, (keep) => {
    const paddings = [
      [0, 0],
      [top, Math.max(0, needH - h - top)],
      [left, Math.max(0, needW - w - left)],
      [0, 0],
    ];
    const padded = keep(callWasm('PadV2', backend, { x }, { paddings, constantValue: 0 }));
    const channelsAsBatch = keep(callWasm('Transpose', backend, { x: padded }, { perm: [3, 1, 2, 0] }));
    const gradAsFilter = keep(callWasm('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] }));
    const conv = keep(
      callWasm(
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
    const size = [cin, kh, kw, cout];
    const sliced = keep(callWasm('Slice', backend, { x: conv }, { begin: [0, 0, 0, 0], size }));
    return callWasm('Transpose', backend, { x: sliced }, { perm: [1, 2, 0, 3] });
  });
}
