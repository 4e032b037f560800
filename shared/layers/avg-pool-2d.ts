import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { Shape } from '../shape.ts';
import { defineLayer, SINGLE_INPUT } from './kind.ts';
import { pair } from './params.ts';
import {
  compiledPads,
  inferPooling,
  kerasPooling,
  poolingFlops,
  poolingParams,
  poolingSight,
  poolingWindow,
  torchPooling,
  type PoolingParams,
} from './pooling.ts';
import { kerasPadding } from './keras-syntax.ts';
import { hasPadding, padForWindow, tfjsSameMatches } from './spatial.ts';
import { ScaleByMap } from './tfjs/scale-by-map.ts';
import { pyBool } from './torch-syntax.ts';

const params = z.object({ ...poolingParams, countIncludePad: z.boolean().default(true) });
type AvgPoolParams = PoolingParams & { countIncludePad: boolean };

/** PyTorch's divisor along one axis for output index o: the window clipped to input + padding (and to the input when padding is not counted). */
function divisorAlong(
  o: number,
  size: number,
  pad: number,
  k: number,
  s: number,
  includePad: boolean,
): number {
  const start = o * s - pad;
  const end = Math.min(start + k, size + pad);
  return includePad ? end - start : Math.min(end, size) - Math.max(start, 0);
}

/** Factors that turn tfjs's sum / (kh·kw) into PyTorch's average, or null when they are all 1. */
export function averageCorrection(input: Shape, output: Shape, p: AvgPoolParams): number[][] | null {
  const w = poolingWindow(p);
  const [ph, pw] = pair(p.padding);
  const [kh, kw] = w.kernel;
  let needed = false;
  const factors = Array.from({ length: output[1]! }, (_, oh) =>
    Array.from({ length: output[2]! }, (_, ow) => {
      const dh = divisorAlong(oh, input[1]!, ph, kh, w.stride[0], p.countIncludePad);
      const dw = divisorAlong(ow, input[2]!, pw, kw, w.stride[1], p.countIncludePad);
      const f = (kh * kw) / (dh * dw);
      if (f !== 1) needed = true;
      return f;
    }),
  );
  return needed ? factors : null;
}

export const avgPool2d = defineLayer({
  type: 'AvgPool2D',
  title: 'AvgPool2D',
  category: 'pooling',
  description:
    'Mean over each window; padding is counted in the mean unless countIncludePad is off (as in PyTorch).',
  params,
  inputs: () => SINGLE_INPUT,
  sight: poolingSight,
  infer: ([x], p) => inferPooling(x!, p, 'AvgPool2D'),
  flops: (_in, out, p) => poolingFlops(out, p),
  tfjs: {
    build: ([x], p, ctx) => {
      const w = poolingWindow(p);
      const pads = compiledPads(ctx.inputShapes[0]!, ctx.outputShape, p);
      // No window given: tfjs's own "same" would leave the padding out of the mean.
      const padded = padForWindow(x!, pads, ctx.name, 0);
      const factors = averageCorrection(ctx.inputShapes[0]!, ctx.outputShape, p);
      const poolName = factors ? `${ctx.name}_pool` : ctx.name;
      const pool = layers.averagePooling2d({
        poolSize: w.kernel,
        strides: w.stride,
        padding: 'valid',
        name: poolName,
      });
      const y = pool.apply(padded.x) as SymbolicTensor;
      return factors ? (new ScaleByMap({ factors, name: ctx.name }).apply(y) as SymbolicTensor) : y;
    },
  },
  torch: {
    code: (p) => ({
      module: torchPooling('AvgPool2d', p, [['count_include_pad', pyBool(p.countIncludePad), 'True']]),
      forward: ([x], self) => `${self}(${x})`,
    }),
  },
  keras: {
    // With the padding in the mean: zeros padded first. Without: only Keras's 'same' leaves it out.
    code: (p, { inputShapes: [x], outputShape }) => {
      const w = poolingWindow(p);
      const pads = compiledPads(x!, outputShape, p);
      if (p.countIncludePad || !hasPadding(pads)) {
        const { before, padding } = kerasPadding(pads, null, 'zero');
        return { layers: [...before, kerasPooling('AveragePooling2D', w, padding)] };
      }
      return tfjsSameMatches(pads, w)
        ? { layers: [kerasPooling('AveragePooling2D', w, 'same')] }
        : {
            refused:
              'Keras has no average pooling that leaves this padding out of the mean (countIncludePad off)',
          };
    },
  },
});
