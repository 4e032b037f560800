import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { elementCount } from '../shape.ts';
import { defineLayer, ok, problem, SINGLE_INPUT } from './kind.ts';
import { withClosedFormTraining } from './tfjs/batch-norm-training.ts';
import { pyArgs, pyNumber } from './torch-syntax.ts';
import { featuresToTorch, role } from './weight-layout.ts';

export const batchNorm = defineLayer({
  type: 'BatchNorm',
  title: 'BatchNorm',
  category: 'normalization',
  description: 'Normalizes each channel (2-D on C×H×W, 1-D on vectors); PyTorch eps and momentum.',
  params: z.object({
    eps: z.number().gt(0).max(1).default(1e-5),
    momentum: z.number().gt(0).lt(1).default(0.1),
  }),
  inputs: () => SINGLE_INPUT,
  infer: ([x]) =>
    x!.length === 1 || x!.length === 3
      ? ok(x!)
      : problem('rankMismatch', `BatchNorm needs C×H×W or a vector, not ${x!.join('×')}.`, 'in'),
  // γ and β learn; the running mean and variance are statistics (non-trainable, as Keras counts them).
  count: ([x]) => ({ trainable: 2 * x![0]!, nonTrainable: 2 * x![0]! }),
  flops: ([x]) => 2 * elementCount(x!),
  tfjs: {
    build: ([x], p, ctx) => {
      // PyTorch's momentum weighs the new batch; Keras's weighs the running value.
      const config = { axis: -1, epsilon: p.eps, momentum: 1 - p.momentum, name: ctx.name };
      return withClosedFormTraining(layers.batchNormalization(config)).apply(x!) as SymbolicTensor;
    },
  },
  torch: {
    code: (p, { inputShapes: [x] }) => {
      const args = pyArgs([
        ['eps', pyNumber(p.eps), '0.00001'],
        ['momentum', pyNumber(p.momentum), '0.1'],
      ]);
      const module = `nn.BatchNorm${x!.length === 1 ? '1d' : '2d'}(${[x![0], args].filter(Boolean).join(', ')})`;
      return { module, forward: ([input], self) => `${self}(${input})` };
    },
    weights: (weights, { inputOrder }) => {
      const features = (name: string) => featuresToTorch(role(weights, name), inputOrder);
      return {
        weight: features('gamma'),
        bias: features('beta'),
        running_mean: features('moving_mean'),
        running_var: features('moving_variance'),
      };
    },
    // Per-feature: the features stay where they were.
    featureOrder: ([order]) => order!,
  },
  keras: {
    // Keras's momentum is the share of the running value kept; PyTorch's the share of the batch taken.
    code: (p) => ({
      layers: [
        `layers.BatchNormalization(${pyArgs([
          ['momentum', pyNumber(Number((1 - p.momentum).toPrecision(12))), '0.99'],
          ['epsilon', pyNumber(p.eps), '0.001'],
        ])})`,
      ],
    }),
  },
});
