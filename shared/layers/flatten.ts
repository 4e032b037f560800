import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { elementCount } from '../shape.ts';
import { defineLayer, ok, SINGLE_INPUT } from './kind.ts';
import { flattenOrder } from './weight-layout.ts';

export const flatten = defineLayer({
  type: 'Flatten',
  title: 'Flatten',
  category: 'shape',
  description: 'C×H×W becomes one vector (exported code flattens in PyTorch order C, H, W).',
  params: z.object({}),
  inputs: () => SINGLE_INPUT,
  sight: () => 'whole',
  infer: ([x]) => ok([elementCount(x!)]),
  flops: () => 0,
  // A reshape is a view: it keeps no activations of its own.
  memory: () => 0,
  tfjs: {
    // A vector is already flat (PyTorch's Flatten leaves it as it is); tfjs's Flatten refuses one.
    build: ([x], _p, ctx) =>
      ctx.inputShapes[0]!.length === 1
        ? x!
        : (layers.flatten({ name: ctx.name }).apply(x!) as SymbolicTensor),
  },
  torch: {
    code: (_p, { inputShapes: [shape] }) => ({
      forward: ([x]) => (shape!.length === 1 ? x! : `torch.flatten(${x}, 1)`),
    }),
    // tfjs flattens H, W, C; PyTorch C, H, W: the layers after it take their weights reordered.
    featureOrder: ([order], { inputShapes: [shape] }) =>
      shape!.length === 1 ? order! : flattenOrder(shape!),
  },
  keras: {
    // Keras flattens H, W, C, as tfjs does: weights port between them as they are.
    code: (_p, { inputShapes: [shape] }) => ({ layers: shape!.length === 1 ? [] : ['layers.Flatten()'] }),
  },
});
