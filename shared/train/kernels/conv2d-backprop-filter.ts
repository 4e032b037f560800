import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { copyPixel } from './channel-loops.ts';
import { callWasm, onHeap, withIntermediates, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * A 1×1 conv's filter gradient is one matrix product over the pixels the conv reads (every stride-th):
 * xᵀ·dy, [cin, pixels]·[pixels, cout], or (dyᵀ·x)ᵀ when cout > cin. XNNPACK packs the product's right-hand
 * matrix anew each step (the gradients are new), which costs more than transposing the left one, so the
 * narrower of x and dy goes right. Measured with new tensors each call against the general path, which
 * convolves with a kernel as large as the whole feature map: 128×28×28×16 → 32 at stride 2, 21 → 6.8 ms;
 * 128×28×28×96 → 48, 221 → 126 ms; 128×14×14×64 → 128, 60 → 49 ms.
 */
function pointwiseFilterGradient(
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  backend: KernelBackend,
): TensorInfo {
  const cin = x.shape[3]!;
  const { strideHeight: sh, strideWidth: sw, outHeight, outWidth, outChannels, batchSize: n } = info;
  const pixels = n * outHeight * outWidth;
  return withIntermediates(backend, (keep) => {
    const reshape = (t: TensorInfo, shape: number[]) =>
      keep(callWasm('Reshape', backend, { x: t }, { shape }));
    const transpose = (t: TensorInfo, perm: number[]) =>
      keep(callWasm('Transpose', backend, { x: t }, { perm }));
    const read = sh === 1 && sw === 1 ? x : keep(everyStridedPixel(backend, x, info));
    const xs = reshape(read, [1, pixels, cin]);
    const dys = reshape(dy, [1, pixels, outChannels]);
    const swap = outChannels > cin;
    const [left, right] = swap ? [dys, xs] : [xs, dys];
    const a = transpose(left, [0, 2, 1]);
    const product = keep(
      callWasm('BatchMatMul', backend, { a, b: right }, { transposeA: false, transposeB: false }),
    );
    const [, rows, columns] = product.shape as [number, number, number];
    const inOut = swap ? transpose(reshape(product, [rows, columns]), [1, 0]) : product;
    return callWasm('Reshape', backend, { x: inOut }, { shape: [1, 1, cin, outChannels] });
  });
}

/**
 * The pixels a strided conv reads, [n, outHeight, outWidth, c] (JavaScript on the wasm heap: wasm's
 * StridedSlice took 90 ms for this on 128×28×28×16, the copy below 1 ms).
 */
function everyStridedPixel(backend: KernelBackend, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const { strideHeight: sh, strideWidth: sw, outHeight: ho, outWidth: wo } = info;
  return onHeap(backend, [n, ho, wo, c], [x], (out, xs) => {
    let to = 0;
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < ho; i++) {
        for (let j = 0; j < wo; j++, to += c) copyPixel(out, to, xs!, ((b * h + i * sh) * w + j * sw) * c, c);
      }
    }
  });
}

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
  if (kh === 1 && kw === 1 && top === 0 && left === 0) return pointwiseFilterGradient(x, dy, info, backend);
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
