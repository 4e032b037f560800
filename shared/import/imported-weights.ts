import { dispose, type Tensor } from '@tensorflow/tfjs-core';
import type { CompiledGraph } from '../compile/compile-graph.ts';
import { decodeSavedWeights, type ModelFiles } from '../compile/tfjs-artifacts.ts';
import { failure, success, type Result } from '../result.ts';

/**
 * The weight files a tfjs model.json names, in manifest order: plain file names beside model.json only
 * ("./weights.bin", "group1-shard1of2.bin"); a path that leads elsewhere is refused, never followed.
 */
export function weightFileNames(modelJson: string): Result<string[], string> {
  let manifest: unknown;
  try {
    manifest = (JSON.parse(modelJson) as { weightsManifest?: unknown }).weightsManifest;
  } catch (e) {
    return failure(`this is not JSON (${(e as Error).message})`);
  }
  if (manifest === undefined) return success([]);
  if (!Array.isArray(manifest)) return failure('its weightsManifest is not a list');
  const names: string[] = [];
  for (const group of manifest as { paths?: unknown }[]) {
    if (!Array.isArray(group?.paths)) return failure('a weightsManifest group has no "paths" list');
    for (const path of group.paths) {
      const name = typeof path === 'string' ? path.replace(/^\.\//, '') : '';
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(name))
        return failure(`weight file "${String(path)}" is not a file name beside model.json`);
      names.push(name);
    }
  }
  return success(names);
}

/** The weight files' bytes, one after another, as tfjs reads sharded weights. */
export function joinedWeights(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const shapeText = (shape: readonly (number | null)[]) => shape.join('×');

/**
 * Puts an imported model's saved weights into its compiled graph: each node takes the weights of the layer
 * it was made from (`weightSources`), in their saved order, each shape checked. Every layer with weights must
 * get them: a missing or misshapen weight is refused, naming the layer, never left at random values.
 * Answers the number of layers that took weights.
 */
export function loadImportedWeights(
  compiled: CompiledGraph,
  weightSources: Readonly<Record<string, string>>,
  files: ModelFiles,
): Result<number, string> {
  let saved;
  try {
    saved = decodeSavedWeights(files);
  } catch (e) {
    return failure(`the weights do not fit model.json's manifest (${(e as Error).message})`);
  }
  try {
    const assigned = assignWeights(compiled, weightSources, saved);
    if (!assigned.ok) return assigned;
    for (const [layer, values] of assigned.value) layer.setWeights(values);
    return success(assigned.value.length);
  } finally {
    dispose(Object.values(saved));
  }
}

type WeightedLayer = CompiledGraph['model']['layers'][number];

/** Which saved tensors each weighted layer takes, or the first layer whose weights are missing or misfit. */
function assignWeights(
  compiled: CompiledGraph,
  weightSources: Readonly<Record<string, string>>,
  saved: Record<string, Tensor>,
): Result<[WeightedLayer, Tensor[]][], string> {
  const savedNames = Object.keys(saved);
  const assigned: [WeightedLayer, Tensor[]][] = [];
  for (const [nodeId, layerNames] of compiled.nodeLayers) {
    const layers = layerNames.map((n) => compiled.model.getLayer(n)).filter((l) => l.weights.length > 0);
    if (layers.length === 0) continue;
    const source = weightSources[nodeId];
    if (source === undefined)
      return failure(`node "${nodeId}" has weights, but no layer of the model gives them`);
    // A node's layers take the source layer's weights one after another, in the order both save them.
    const values = savedNames.filter((n) => n.startsWith(`${source}/`)).map((n) => [n, saved[n]!] as const);
    const wanted = layers.flatMap((l) => l.weights);
    if (values.length !== wanted.length)
      return failure(
        `layer "${source}" saves ${values.length} weights; its node "${nodeId}" has ${wanted.length}`,
      );
    const misfit = wanted.findIndex((w, i) => shapeText(w.shape) !== shapeText(values[i]![1].shape));
    if (misfit >= 0)
      return failure(
        `layer "${source}": ${values[misfit]![0]} is ${shapeText(values[misfit]![1].shape)}, but node "${nodeId}" needs ${shapeText(wanted[misfit]!.shape)}`,
      );
    let at = 0;
    for (const layer of layers) {
      assigned.push([layer, values.slice(at, at + layer.weights.length).map(([, t]) => t)]);
      at += layer.weights.length;
    }
  }
  return success(assigned);
}
