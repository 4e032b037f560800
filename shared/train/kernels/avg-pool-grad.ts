import type { AvgPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { addScaledPixel } from './channel-loops.ts';
import { forEachWindow, poolGeometry } from './pool-windows.ts';
import { onHeap, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * wasm's AvgPoolGrad gathers, for every input pixel, from every window that could cover it: 17% of a LeNet
 * step. This spreads each window's gradient over it once, channels innermost (JavaScript on the wasm heap).
 * Like tfjs's own kernels it divides by the full window size, padding included.
 */
export function avgPoolGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const info = poolGeometry(input, attrs as unknown as AvgPoolGradAttrs);
  const { inHeight: h, inWidth: w, inChannels: c } = info;
  const share = 1 / (info.filterHeight * info.filterWidth);
  return onHeap(backend, input.shape, [dy], (dx, g) => {
    dx.fill(0);
    forEachWindow(info, ({ n, hFrom, hTo, wFrom, wTo, dyOffset }) => {
      for (let ih = hFrom; ih < hTo; ih++) {
        for (let iw = wFrom; iw < wTo; iw++) {
          addScaledPixel(dx, ((n * h + ih) * w + iw) * c, g!, dyOffset, c, share);
        }
      }
    });
  });
}
