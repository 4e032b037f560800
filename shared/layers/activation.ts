import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { elementCount, type Shape } from '../shape.ts';
import { defineLayer, ok, SINGLE_INPUT } from './kind.ts';
import { activationSchema, type ActivationName } from './params.ts';
import { pyNumber } from './torch-syntax.ts';

/** PyTorch's LeakyReLU default; Keras's is 0.3, so it is always passed explicitly. */
export const DEFAULT_NEGATIVE_SLOPE = 0.01;

/** Applies an activation after a layer; Conv2D and Dense use it for their fused activation too. */
export function applyActivation(
  x: SymbolicTensor,
  fn: ActivationName,
  name: string,
  negativeSlope = DEFAULT_NEGATIVE_SLOPE,
): SymbolicTensor {
  if (fn === 'none') return x;
  const layer =
    fn === 'leakyRelu'
      ? layers.leakyReLU({ alpha: negativeSlope, name })
      : layers.activation({ activation: fn, name });
  return layer.apply(x) as SymbolicTensor;
}

/** An activation applied to a PyTorch expression, as tfjs computes it (GELU exact, softmax over channels). */
export function torchActivation(
  fn: ActivationName,
  x: string,
  negativeSlope = DEFAULT_NEGATIVE_SLOPE,
): string {
  switch (fn) {
    case 'none':
      return x;
    case 'relu':
      return `F.relu(${x})`;
    case 'sigmoid':
      return `torch.sigmoid(${x})`;
    case 'tanh':
      return `torch.tanh(${x})`;
    case 'leakyRelu':
      return `F.leaky_relu(${x}, ${pyNumber(negativeSlope)})`;
    case 'gelu':
      return `F.gelu(${x})`;
    case 'softmax':
      return `F.softmax(${x}, dim=1)`;
  }
}

/**
 * An activation in Keras: the `activation=` argument of the layer before, or (LeakyReLU, whose slope the
 * argument cannot carry) a layer after it.
 */
export function kerasActivation(
  fn: ActivationName,
  negativeSlope = DEFAULT_NEGATIVE_SLOPE,
): { argument: string | null; after: string[] } {
  if (fn === 'none') return { argument: null, after: [] };
  if (fn === 'leakyRelu')
    return { argument: null, after: [`layers.LeakyReLU(negative_slope=${pyNumber(negativeSlope)})`] };
  return { argument: `"${fn}"`, after: [] };
}

/** Element-wise activations count one operation per element. */
export function activationFlops(fn: ActivationName, output: Shape): number {
  return fn === 'none' ? 0 : elementCount(output);
}

export const activation = defineLayer({
  type: 'Activation',
  title: 'Activation',
  category: 'activation',
  description: 'An element-wise non-linearity (softmax runs over channels).',
  params: z.object({
    fn: activationSchema.exclude(['none']).default('relu'),
    negativeSlope: z.number().min(0).max(1).default(DEFAULT_NEGATIVE_SLOPE),
  }),
  inputs: () => SINGLE_INPUT,
  infer: ([x]) => ok(x!),
  flops: (_in, out, p) => activationFlops(p.fn, out),
  tfjs: {
    build: ([x], p, ctx) => applyActivation(x!, p.fn, ctx.name, p.negativeSlope),
  },
  torch: {
    code: (p) => ({ forward: ([x]) => torchActivation(p.fn, x!, p.negativeSlope) }),
    featureOrder: ([order]) => order!,
  },
  keras: {
    code: (p) => {
      const a = kerasActivation(p.fn, p.negativeSlope);
      return { layers: a.argument ? [`layers.Activation(${a.argument})`] : a.after };
    },
  },
});
