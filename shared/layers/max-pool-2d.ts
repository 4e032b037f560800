import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { defineLayer, SINGLE_INPUT } from './kind.ts';
import {
  compiledPads,
  inferPooling,
  kerasPooling,
  poolingFlops,
  poolingParams,
  poolingSight,
  poolingWindow,
  torchPooling,
} from './pooling.ts';
import { kerasPadding } from './keras-syntax.ts';
import { padForWindow } from './spatial.ts';

export const maxPool2d = defineLayer({
  type: 'MaxPool2D',
  title: 'MaxPool2D',
  category: 'pooling',
  description: 'Max over each window; padding counts as −∞, so it never wins.',
  params: z.object(poolingParams),
  inputs: () => SINGLE_INPUT,
  sight: poolingSight,
  infer: ([x], p) => inferPooling(x!, p, 'MaxPool2D'),
  flops: (_in, out, p) => poolingFlops(out, p),
  tfjs: {
    build: ([x], p, ctx) => {
      const w = poolingWindow(p);
      const pads = compiledPads(ctx.inputShapes[0]!, ctx.outputShape, p);
      const padded = padForWindow(x!, pads, ctx.name, Number.NEGATIVE_INFINITY, w);
      const pool = layers.maxPooling2d({
        poolSize: w.kernel,
        strides: w.stride,
        padding: padded.padding,
        name: ctx.name,
      });
      return pool.apply(padded.x) as SymbolicTensor;
    },
  },
  torch: {
    code: (p) => ({ module: torchPooling('MaxPool2d', p), forward: ([x], self) => `${self}(${x})` }),
  },
  keras: {
    // Padding (and ceil mode's extra rows) as −∞, so it never wins, as in PyTorch.
    code: (p, { inputShapes: [x], outputShape }) => {
      const w = poolingWindow(p);
      const { before, padding } = kerasPadding(compiledPads(x!, outputShape, p), w, 'negInf');
      return { layers: [...before, kerasPooling('MaxPooling2D', w, padding)] };
    },
  },
});
