import { tensor, tidy, type Tensor } from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';
import { nodeWeights, type CompiledGraph } from '../compile/compile-graph.ts';
import type { WeightInit } from '../layers/weight-init.ts';
import { SeededRandom } from '../random.ts';

export type { WeightInit } from '../layers/weight-init.ts';

/**
 * Draws every layer's starting weights from the seed, as its kind declares them (initialBounds), in graph
 * order: a run starts from the same weights on every backend.
 */
export function initializeWeights(compiled: CompiledGraph, scheme: WeightInit, seed: number): void {
  const rng = new SeededRandom(seed);
  const { flat } = compiled.inference;
  for (const node of flat.order) {
    const kind = flat.kinds.get(node.id);
    if (!kind?.tfjs.initialBounds) continue;
    const weights = nodeWeights(compiled, node.id);
    const bounds = kind.tfjs.initialBounds(
      new Map([...weights].map(([role, w]) => [role, w.shape as number[]])),
      scheme,
    );
    for (const [role, bound] of Object.entries(bounds)) {
      const w = weights.get(role);
      if (w) draw(w, bound, rng);
    }
  }
}

function draw(target: LayerVariable, bound: number, rng: SeededRandom): void {
  const shape = target.shape as number[];
  const values = new Float32Array(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < values.length; i++) values[i] = (rng.next() * 2 - 1) * bound;
  tidy(() => {
    target.write(tensor(values, shape) as Tensor);
  });
}
