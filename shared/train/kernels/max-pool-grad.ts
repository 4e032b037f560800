import type { MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { forEachWindow, poolGeometry } from './pool-windows.ts';
import { onHeap, type KernelArgs } from './wasm-kernel-call.ts';

/**
 * wasm's MaxPoolGrad visits every input pixel once per window that could cover it and recomputes each
 * window's maximum there: 23% of a VGG-mini step, on one thread. This one finds each window's maximum once
 * and adds its gradient there, scanning channels innermost so memory is read in order (JavaScript on the
 * wasm heap). Ties go to the first maximum in scan order, as in tfjs's cpu backend.
 */
export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const info = poolGeometry(input, attrs as unknown as MaxPoolGradAttrs);
  const { inHeight: h, inWidth: w, inChannels: c } = info;
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  return onHeap(backend, input.shape, [input, dy], (dx, x, g) => {
    dx.fill(0);
    forEachWindow(info, ({ n, hFrom, hTo, wFrom, wTo, dyOffset }) => {
      best.fill(-Infinity);
      at.fill(-1);
      for (let ih = hFrom; ih < hTo; ih++) {
        for (let iw = wFrom; iw < wTo; iw++) {
          const base = ((n * h + ih) * w + iw) * c;
          for (let ch = 0; ch < c; ch++) {
            const v = x![base + ch]!;
            if (v > best[ch]!) {
              best[ch] = v;
              at[ch] = base + ch;
            }
          }
        }
      }
      for (let ch = 0; ch < c; ch++) if (at[ch]! >= 0) dx[at[ch]!]! += g![dyOffset + ch]!;
    });
  });
}
