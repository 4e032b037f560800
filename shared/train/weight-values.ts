import { dispose, tensor } from '@tensorflow/tfjs-core';
import type { CompiledGraph } from '../compile/compile-graph.ts';

/** Every weight of the model as plain arrays, in tfjs's order: what checkpoints and best weights keep. */
export const readWeights = (c: CompiledGraph): Float32Array[] =>
  c.model.getWeights().map((w) => w.dataSync() as Float32Array);

/** Puts weights read by readWeights back into the model. */
export function writeWeights(c: CompiledGraph, values: Float32Array[]): void {
  const shapes = c.model.getWeights().map((w) => w.shape);
  const tensors = values.map((v, i) => tensor(v, shapes[i]));
  c.model.setWeights(tensors);
  dispose(tensors);
}
