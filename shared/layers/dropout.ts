import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { defineLayer, ok, SINGLE_INPUT } from './kind.ts';
import { pyNumber } from './torch-syntax.ts';

export const dropout = defineLayer({
  type: 'Dropout',
  title: 'Dropout',
  category: 'normalization',
  description: 'Zeroes a random fraction of activations while training.',
  params: z.object({ rate: z.number().min(0).lt(1).default(0.5) }),
  inputs: () => SINGLE_INPUT,
  infer: ([x]) => ok(x!),
  flops: () => 0,
  tfjs: {
    build: ([x], p, ctx) => layers.dropout({ rate: p.rate, name: ctx.name }).apply(x!) as SymbolicTensor,
  },
  torch: {
    code: (p) => ({ module: `nn.Dropout(${pyNumber(p.rate)})`, forward: ([x], self) => `${self}(${x})` }),
    featureOrder: ([order]) => order!,
  },
  keras: {
    code: (p) => ({ layers: [`layers.Dropout(${pyNumber(p.rate)})`] }),
  },
});
