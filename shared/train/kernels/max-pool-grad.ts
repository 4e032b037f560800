import type { MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { forEachWindow, poolGeometry } from './pool-windows.ts';
import { onHeap, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * wasm's MaxPoolGrad visits every input pixel once per window that could cover it and recomputes each
 * window's maximum there: 23% of a VGG-mini step, on one thread. This one finds each window's maximum once
 * and adds its gradient there (JavaScript on the wasm heap). Ties go to the first maximum in scan order, as
 * in tfjs's cpu backend.
 */
export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const info = poolGeometry(input, attrs as unknown as MaxPoolGradAttrs);
  const { inHeight: h, inWidth: w, inChannels: c } = info;
  return onHeap(backend, input.shape, [input, dy], (dx, x, g) => {
    dx.fill(0);
    forEachWindow(info, ({ n, hFrom, hTo, wFrom, wTo, dyOffset }) => {
      // One channel at a time, the running maximum in locals: V8 keeps them in registers, where per-channel
      // arrays of maxima and their places were reloaded for every value (VGG-mini's largest: 20 → 14 ms).
      for (let ch = 0; ch < c; ch++) {
        let best = -Infinity;
        let at = -1;
        for (let ih = hFrom; ih < hTo; ih++) {
          for (let iw = wFrom, p = ((n * h + ih) * w + wFrom) * c + ch; iw < wTo; iw++, p += c) {
            const v = x![p]!;
            if (v > best) {
              best = v;
              at = p;
            }
          }
        }
        if (at >= 0) dx[at] = dx[at]! + g![dyOffset + ch]!;
      }
    });
  });
}
