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

/**
 * Why saved weights do not fit the model, or null when they do. tfjs orders weights trainable first, so a
 * checkpoint written with another Freeze (or for another design) lists them in another order.
 */
export function weightsMisfit(c: CompiledGraph, values: readonly Float32Array[]): string | null {
  const sizes = c.model.getWeights().map((w) => w.size);
  const fits = sizes.length === values.length && sizes.every((n, i) => values[i]!.length === n);
  return fits
    ? null
    : 'The checkpoint does not fit this run: it was written with another Freeze or for another design. ' +
        'Resume with the run’s own recipe, or start a new run from its weights (Start from; --start-from).';
}
