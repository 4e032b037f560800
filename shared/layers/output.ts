import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { elementCount } from '../shapes/shape.ts';
import { defineLayer, expectVector, fail, ok, SINGLE_INPUT } from './kind.ts';

export const output = defineLayer({
  type: 'Output',
  title: 'Output',
  category: 'io',
  description: 'Class scores in, softmax probabilities out; trained with cross-entropy.',
  params: z.object({ loss: z.literal('softmaxCrossEntropy').default('softmaxCrossEntropy') }),
  inputs: () => SINGLE_INPUT,
  infer: ([x]) => {
    const bad = expectVector(x!, 'Output');
    return bad ? fail(bad) : ok(x!);
  },
  // exp, sum and divide per class.
  flops: (_in, out) => 3 * elementCount(out),
  build: ([x], _p, ctx) =>
    layers.activation({ activation: 'softmax', name: ctx.name }).apply(x!) as SymbolicTensor,
});
