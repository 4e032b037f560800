import {
  abs,
  grad,
  max,
  mean,
  mul,
  relu,
  slice,
  softmax,
  sum,
  tidy,
  type Tensor,
  type Tensor4D,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { model as tfModel } from '@tensorflow/tfjs-layers';
import type { CompiledGraph } from '../compile/compile-graph.ts';
import { failure, success, type Result } from '../result.ts';
import { headModel, headProblem } from './head-model.ts';

/** A map over a layer's spatial positions, row by row. */
export interface SpatialMap {
  height: number;
  width: number;
  values: Float32Array;
}

export interface GradCam {
  /** The flat node whose feature maps were weighed. */
  nodeId: string;
  /** The class explained: the one asked, else the predicted one. */
  classIndex: number;
  /** The network's class probabilities for the image. */
  probabilities: number[];
  /** ReLU(Σ_k α_k A_k) at the node's resolution, α_k the spatial mean of ∂logit/∂A_k (Selvaraju et al.). */
  cam: SpatialMap;
}

/**
 * The last layer with a spatial output that every path to the output passes through: Grad-CAM's usual
 * choice (the end of the convolutional part), for any network the user built.
 */
export function defaultCamNode(compiled: CompiledGraph): string | null {
  const { order, results } = compiled.inference.flat;
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!.id;
    const r = results.get(id);
    if (r?.status !== 'ok' || r.shape.length !== 3 || r.shape[1]! * r.shape[2]! < 4) continue;
    if (headProblem(compiled, id) === null) return id;
  }
  return null;
}

/** A [1, H, W] tensor made in a scope of its own, read out and freed with everything made for it. */
function spatialOf(make: () => Tensor): SpatialMap {
  const t = tidy(make);
  const map = { height: t.shape[1]!, width: t.shape[2]!, values: t.dataSync() as Float32Array };
  t.dispose();
  return map;
}

/**
 * Grad-CAM of one image ([1, H, W, C], preprocessed as training feeds it) at a node (by default
 * defaultCamNode), for a class (by default the predicted one). The weights are the compiled model's.
 */
export function gradCam(
  compiled: CompiledGraph,
  image: Tensor4D,
  options: { nodeId?: string; classIndex?: number } = {},
): Result<GradCam, string> {
  const nodeId = options.nodeId ?? defaultCamNode(compiled);
  if (!nodeId)
    return failure('the network has no layer with a spatial output that every path passes through');
  const start = compiled.nodeOutputs.get(nodeId);
  const head = headModel(compiled, nodeId);
  if (!head.ok || !start) return failure(head.ok ? `${nodeId}: no such layer` : head.error);
  const features: LayersModel = tfModel({ inputs: compiled.logitsModel.inputs, outputs: start });
  const classes = compiled.logitsModel.outputs[0]!.shape[1]!;
  if (options.classIndex !== undefined && !(options.classIndex >= 0 && options.classIndex < classes))
    return failure(
      `class ${options.classIndex} is not one of the network's ${classes} classes (0 to ${classes - 1})`,
    );
  const probabilitiesOf = tidy(() =>
    softmax(head.value.predict(features.predict(image) as Tensor) as Tensor),
  );
  const probabilities = Array.from(probabilitiesOf.dataSync());
  probabilitiesOf.dispose();
  const classIndex = options.classIndex ?? probabilities.indexOf(Math.max(...probabilities));
  const cam = spatialOf(() => {
    const a = features.predict(image) as Tensor4D;
    const score = (x: Tensor) => sum(slice(head.value.apply(x) as Tensor, [0, classIndex], [1, 1]));
    const alphas = mean(grad(score)(a), [1, 2], true);
    return relu(sum(mul(a, alphas), 3));
  });
  return success({ nodeId, classIndex, probabilities, cam });
}

/** |∂logit/∂pixel|, the largest over the image's channels: which pixels the class score is most sensitive to. */
export function saliency(compiled: CompiledGraph, image: Tensor4D, classIndex: number): SpatialMap {
  return spatialOf(() => {
    const score = (x: Tensor) => sum(slice(compiled.logitsModel.apply(x) as Tensor, [0, classIndex], [1, 1]));
    return max(abs(grad(score)(image)), 3);
  });
}
