import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { elementCount, sameShape } from '../shape.ts';
import { defineLayer, ok, problem } from './kind.ts';
import { describeInputs, mergeParams, mergePorts } from './merge.ts';
import { sameOrder } from './weight-layout.ts';

export const add = defineLayer({
  type: 'Add',
  title: 'Add',
  category: 'merge',
  description: 'Element-wise sum of inputs of one shape (the residual connection).',
  params: z.object(mergeParams),
  inputs: (p) => mergePorts(p.inputs),
  infer: (xs) => {
    const first = xs[0]!;
    const i = xs.findIndex((x) => !sameShape(x, first));
    if (i < 0) return ok(first);
    const fix =
      xs[i]!.length === 3 && first.length === 3
        ? ` Project in${i} with a 1×1 Conv2D of ${first[0]} filters and stride ${Math.max(1, Math.round(xs[i]![1]! / first[1]!))}, or change the branch so the shapes agree.`
        : ' Change one branch so the shapes agree.';
    return problem(
      'shapeMismatch',
      `Add needs inputs of one shape: ${describeInputs(xs, (s) => s.join('×'))}.${fix}`,
      `in${i}`,
    );
  },
  flops: (xs, out) => (xs.length - 1) * elementCount(out),
  tfjs: {
    build: (xs, _p, ctx) => layers.add({ name: ctx.name }).apply(xs) as SymbolicTensor,
  },
  torch: {
    code: () => ({ forward: (xs) => xs.join(' + ') }),
    featureOrder: (orders) =>
      orders.every((o) => sameOrder(o, orders[0]!))
        ? orders[0]!
        : 'it adds vectors whose features are ordered differently in PyTorch (one comes from a Flatten of an image): put a Dense layer on each branch before the Add.',
  },
  keras: {
    code: () => ({ layers: ['layers.Add()'] }),
  },
});
