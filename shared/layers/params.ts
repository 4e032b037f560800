import { z } from 'zod';

/** Parameter schemas shared by several layer kinds, with PyTorch's conventions. */

export const positiveInt = z.number().int().min(1);
export const nonNegativeInt = z.number().int().min(0);

/** A size given as one integer for both axes or as [height, width]. */
export const intOrPair = (min: number) =>
  z.union([z.number().int().min(min), z.tuple([z.number().int().min(min), z.number().int().min(min)])]);

export type IntOrPair = number | readonly [number, number];

export function pair(v: IntOrPair): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

export const paddingSchema = z.union([intOrPair(0), z.literal('same'), z.literal('valid')]);
export type Padding = number | readonly [number, number] | 'same' | 'valid';

export const activationNames = ['none', 'relu', 'sigmoid', 'tanh', 'leakyRelu', 'gelu', 'softmax'] as const;
export const activationSchema = z.enum(activationNames);
export type ActivationName = (typeof activationNames)[number];

export function formatPair([h, w]: readonly [number, number]): string {
  return `${h}×${w}`;
}
