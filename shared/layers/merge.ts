import { z } from 'zod';
import type { Shape } from '../shape.ts';

/** Concat and Add take a configurable number of inputs, named in0, in1, … */
export const mergeParams = { inputs: z.number().int().min(2).max(16).default(2) };

const portCache: string[][] = [];

export function mergePorts(count: number): readonly string[] {
  return (portCache[count] ??= Array.from({ length: count }, (_, i) => `in${i}`));
}

export function describeInputs(shapes: Shape[], show: (s: Shape) => string): string {
  return shapes.map((s, i) => `in${i} is ${show(s)}`).join(', ');
}
