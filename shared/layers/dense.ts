import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { activationFlops, applyActivation, kerasActivation, torchActivation } from './activation.ts';
import { pyArgs, pyBool } from './torch-syntax.ts';
import { defineLayer, expectVector, fail, ok, SINGLE_INPUT } from './kind.ts';
import { activationSchema, positiveInt } from './params.ts';
import { denseKernelToTorch, role } from './weight-layout.ts';
import { kernelBounds } from './weight-init.ts';

export const dense = defineLayer({
  type: 'Dense',
  title: 'Dense',
  category: 'dense',
  description: 'A fully connected layer (PyTorch Linear) on a flat vector.',
  params: z.object({
    units: positiveInt.max(1 << 20).default(128),
    bias: z.boolean().default(true),
    activation: activationSchema.default('none'),
  }),
  inputs: () => SINGLE_INPUT,
  sight: () => 'whole',
  infer: ([x], p) => {
    const bad = expectVector(x!, 'Dense');
    return bad ? fail(bad) : ok([p.units]);
  },
  count: ([x], p) => ({ trainable: x![0]! * p.units + (p.bias ? p.units : 0), nonTrainable: 0 }),
  flops: ([x], out, p) => 2 * x![0]! * p.units + (p.bias ? p.units : 0) + activationFlops(p.activation, out),
  tfjs: {
    build: ([x], p, ctx) => {
      const name = p.activation === 'none' ? ctx.name : `${ctx.name}_dense`;
      const y = layers.dense({ units: p.units, useBias: p.bias, name }).apply(x!) as SymbolicTensor;
      return applyActivation(y, p.activation, ctx.name);
    },
    initialBounds: (shapes, scheme) => kernelBounds(shapes.get('kernel')!, scheme),
  },
  torch: {
    code: (p, { inputShapes: [x] }) => ({
      module: `nn.Linear(${x![0]}, ${p.units}${p.bias ? '' : ', bias=False'})`,
      forward: ([input], self) => torchActivation(p.activation, `${self}(${input})`),
    }),
    weights: (weights, { inputOrder }) => ({
      weight: denseKernelToTorch(role(weights, 'kernel'), inputOrder),
      ...(weights.has('bias') ? { bias: role(weights, 'bias') } : {}),
    }),
  },
  keras: {
    code: (p) => {
      const a = kerasActivation(p.activation);
      const args = pyArgs([
        ['units', String(p.units)],
        ['use_bias', pyBool(p.bias), 'True'],
        ['activation', a.argument ?? 'None', 'None'],
      ]);
      return { layers: [`layers.Dense(${args})`, ...a.after] };
    },
  },
});
