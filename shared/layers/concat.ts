import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { defineLayer, ok, problem } from './kind.ts';
import { describeInputs, mergeParams, mergePorts } from './merge.ts';

export const concat = defineLayer({
  type: 'Concat',
  title: 'Concat',
  category: 'merge',
  description: 'Joins its inputs along channels; all must share H×W (or all be vectors).',
  params: z.object(mergeParams),
  inputs: (p) => mergePorts(p.inputs),
  infer: (xs) => {
    const first = xs[0]!;
    const rank = first.length;
    if (xs.some((x) => x.length !== rank)) {
      return problem(
        'rankMismatch',
        `Concat needs all images or all vectors: ${describeInputs(xs, (s) => s.join('×'))}.`,
      );
    }
    const i = xs.findIndex((x) => x.slice(1).some((d, j) => d !== first[j + 1]));
    if (i > 0) {
      const hw = (s: readonly number[]) => s.slice(1).join('×');
      return problem(
        'shapeMismatch',
        `Concat joins channels and needs the same H×W: ${describeInputs(xs, hw)}. Match the strides and pooling of the branches, or pad the smaller one.`,
        `in${i}`,
      );
    }
    return ok([xs.reduce((c, x) => c + x[0]!, 0), ...first.slice(1)]);
  },
  flops: () => 0,
  tfjs: {
    build: (xs, _p, ctx) => layers.concatenate({ axis: -1, name: ctx.name }).apply(xs) as SymbolicTensor,
  },
  torch: {
    // Channels are axis 1 of NCHW (and of a batch of vectors).
    code: () => ({ forward: (xs) => `torch.cat([${xs.join(', ')}], dim=1)` }),
    // Vectors joined end to end keep each one's order, moved along.
    featureOrder: (orders, { inputShapes, outputShape }) => {
      if (outputShape.length !== 1 || orders.every((o) => o === null)) return null;
      const joined = new Int32Array(outputShape[0]!);
      let offset = 0;
      inputShapes.forEach((shape, k) => {
        for (let i = 0; i < shape[0]!; i++) joined[offset + i] = offset + (orders[k]?.[i] ?? i);
        offset += shape[0]!;
      });
      return joined;
    },
  },
  keras: {
    // Channels last in Keras, as in tfjs.
    code: () => ({ layers: ['layers.Concatenate(axis=-1)'] }),
  },
});
