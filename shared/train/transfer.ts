import { dispose, type Tensor } from '@tensorflow/tfjs-core';
import type { CompiledGraph } from '../compile/compile-graph.ts';
import { decodeSavedWeights, type ModelFiles } from '../compile/tfjs-artifacts.ts';
import type { TrainConfig } from './train-config.ts';

/**
 * Copies a saved model's weights into a compiled graph wherever a layer of the same name (the same node)
 * has weights of the same shapes: the way to start from a trained network and change its head. Answers
 * the names of the layers that took weights.
 */
export function transferWeights(target: CompiledGraph, files: ModelFiles): string[] {
  const saved = decodeSavedWeights(files);
  const took: string[] = [];
  try {
    for (const layer of target.model.layers) {
      if (layer.weights.length === 0) continue;
      const values = layer.weights.map((w) => saved[w.originalName]);
      const fits = values.every((v, i) => v && v.shape.join() === layer.weights[i]!.shape.join());
      if (!fits) continue;
      layer.setWeights(values as Tensor[]);
      took.push(layer.name);
    }
  } finally {
    dispose(Object.values(saved));
  }
  return took;
}

/**
 * Keeps layers fixed as the recipe says: every layer with weights but the last (`features`: only the head
 * trains), or those of the chosen graph nodes (a block's node keeps every layer inside it). Answers the
 * names of the frozen layers.
 */
export function freezeLayers(target: CompiledGraph, freeze: TrainConfig['freeze']): string[] {
  if (freeze === 'none') return [];
  const weighted = target.model.layers.filter((l) => l.trainableWeights.length > 0);
  const frozen = freeze === 'features' ? weighted.slice(0, -1) : weighted.filter(chosenIn(target, freeze));
  for (const layer of frozen) layer.trainable = false;
  return frozen.map((l) => l.name);
}

/** Whether a layer was built by one of the chosen nodes, or inside one (a block's flat ids are "block/inner"). */
function chosenIn(target: CompiledGraph, nodeIds: readonly string[]) {
  const names = new Set(
    [...target.nodeLayers].flatMap(([flatId, layers]) =>
      nodeIds.some((id) => flatId === id || flatId.startsWith(`${id}/`)) ? layers : [],
    ),
  );
  return (layer: { name: string }) => names.has(layer.name);
}
