import { dispose, io, type Tensor } from '@tensorflow/tfjs-core';
import type { CompiledGraph } from '../compile/compile-graph.ts';
import type { ModelFiles } from '../export/tfjs-artifacts.ts';

/**
 * Copies a saved model's weights into a compiled graph wherever a layer of the same name (the same node)
 * has weights of the same shapes: the way to start from a trained network and change its head. Answers
 * the names of the layers that took weights.
 */
export function transferWeights(target: CompiledGraph, files: ModelFiles): string[] {
  const json = JSON.parse(files.modelJson) as { weightsManifest: { weights: io.WeightsManifestEntry[] }[] };
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const bytes = files.weightsBin;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const saved = io.decodeWeights(buffer, specs);
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

/** Keeps every layer with weights fixed but the last one: only the head trains. Answers the frozen ones. */
export function freezeFeatures(target: CompiledGraph): string[] {
  const weighted = target.model.layers.filter((l) => l.trainableWeights.length > 0);
  const frozen = weighted.slice(0, -1);
  for (const layer of frozen) layer.trainable = false;
  return frozen.map((l) => l.name);
}
