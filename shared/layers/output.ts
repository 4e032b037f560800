import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { elementCount } from '../shape.ts';
import { defineLayer, ok, problem, SINGLE_INPUT } from './kind.ts';
import { sameOrder } from './weight-layout.ts';

export const output = defineLayer({
  type: 'Output',
  title: 'Output',
  role: 'output',
  category: 'io',
  description:
    'Class scores in, softmax probabilities out (trained with cross-entropy); or any image-shaped tensor out as it is (a feature extractor, a block under test).',
  params: z.object({ loss: z.literal('softmaxCrossEntropy').default('softmaxCrossEntropy') }),
  inputs: () => SINGLE_INPUT,
  infer: ([x]) =>
    x!.length === 1 || x!.length === 3
      ? ok(x!)
      : problem('rankMismatch', `Output takes class scores or a C×H×W tensor, not ${x!.join('×')}.`, 'in'),
  // Class scores: exp, sum and divide per class; features pass as they are.
  flops: (_in, out) => (out.length === 1 ? 3 * elementCount(out) : 0),
  memory: (out) => (out.length === 1 ? 4 * elementCount(out) : 0),
  tfjs: {
    build: ([x], _p, ctx) => {
      const scores = ctx.outputShape.length === 1;
      const activation = scores ? 'softmax' : 'linear';
      return layers.activation({ activation, name: ctx.name }).apply(x!) as SymbolicTensor;
    },
  },
  torch: {
    // The logits: PyTorch's cross-entropy takes them and applies the softmax itself.
    code: () => ({ forward: ([x]) => x! }),
    featureOrder: ([order]) =>
      sameOrder(order!, null)
        ? null
        : 'its class scores come straight from a Flatten of an image, whose order differs in PyTorch (C, H, W) and tfjs (H, W, C): put a Dense layer before Output.',
  },
  keras: {
    // Logits: the softmax is the loss's (from_logits=True).
    code: () => ({ layers: [] }),
  },
});
