import { backend_util, type AvgPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';

/** One pooling window, clipped to the input: rows [hFrom, hTo), columns [wFrom, wTo) of image n. */
export interface PoolWindow {
  n: number;
  hFrom: number;
  hTo: number;
  wFrom: number;
  wTo: number;
  /** Where this window's channels start in dy (NHWC). */
  dyOffset: number;
}

/** The geometry of a 2-D pool from its gradient kernel's input and attributes. */
export function poolGeometry(input: TensorInfo, attrs: AvgPoolGradAttrs): backend_util.Conv2DInfo {
  const { filterSize, strides, pad } = attrs;
  const dimRoundingMode = (attrs as { dimRoundingMode?: 'floor' | 'round' | 'ceil' }).dimRoundingMode;
  const shape = input.shape as [number, number, number, number];
  return backend_util.computePool2DInfo(shape, filterSize, strides, 1, pad, dimRoundingMode);
}

/** Visits every window of a pool in dy order (batch, row, column), each clipped to the input. */
export function forEachWindow(info: backend_util.Conv2DInfo, visit: (window: PoolWindow) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, padInfo } = info;
  const window: PoolWindow = { n: 0, hFrom: 0, hTo: 0, wFrom: 0, wTo: 0, dyOffset: 0 };
  for (let n = 0; n < batchSize; n++) {
    window.n = n;
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * info.strideHeight - padInfo.top;
      window.hFrom = Math.max(0, h0);
      window.hTo = Math.min(inHeight, h0 + info.filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * info.strideWidth - padInfo.left;
        window.wFrom = Math.max(0, w0);
        window.wTo = Math.min(inWidth, w0 + info.filterWidth);
        visit(window);
        window.dyOffset += inChannels;
      }
    }
  }
}
