import { tidy, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import { model as tfModel } from '@tensorflow/tfjs-layers';
import type { CompiledGraph } from '../compile/compile-graph.ts';

/** One layer's output for one image: channels last, as tfjs holds it, with what a reader asks first. */
export interface LayerOutput {
  nodeId: string;
  /** H×W×C for feature maps, [n] for vectors. */
  shape: number[];
  values: Float32Array;
  stats: { mean: number; std: number; min: number; max: number; zeros: number };
}

function statsOf(values: Float32Array): LayerOutput['stats'] {
  let [sum, squares, min, max, zeros] = [0, 0, Infinity, -Infinity, 0];
  for (const v of values) {
    sum += v;
    squares += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
    if (v === 0) zeros++;
  }
  const mean = sum / values.length;
  const std = Math.sqrt(Math.max(squares / values.length - mean * mean, 0));
  return { mean, std, min, max, zeros: zeros / values.length };
}

/** What the named flat nodes make of one image ([1, H, W, C], preprocessed as training feeds it). */
export function layerOutputs(
  compiled: CompiledGraph,
  image: Tensor4D,
  nodeIds: readonly string[],
): LayerOutput[] {
  const outputs = nodeIds.map((id) => {
    const t = compiled.nodeOutputs.get(id);
    if (!t) throw new Error(`${id}: no such layer in the compiled network`);
    return t;
  });
  const probe = tfModel({ inputs: compiled.model.inputs, outputs });
  const tensors = tidy(() => [probe.predict(image) as Tensor | Tensor[]].flat());
  return tensors.map((t, i) => {
    const values = t.dataSync() as Float32Array;
    const result = { nodeId: nodeIds[i]!, shape: t.shape.slice(1), values, stats: statsOf(values) };
    t.dispose();
    return result;
  });
}
