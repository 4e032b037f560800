import {
  model as tfModel,
  type LayersModel,
  type LayerVariable,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';
import type { Graph } from '../graph/document.ts';
import { failure, success, type Result } from '../result.ts';
import type { Diagnostic } from '../shapes/diagnostic.ts';
import { hasErrors, inferShapes, type GraphInference } from '../shapes/infer-shapes.ts';
import { feedingOf } from '../blocks/flatten-graph.ts';
import { isInputNode, isOutputNode } from '../layers/registry.ts';

export interface CompiledGraph {
  /** Outputs class probabilities (the Output layer's softmax): what is saved and used for inference. */
  model: LayersModel;
  /**
   * The same layers, ending before the softmax: training takes the cross-entropy of logits, which is
   * numerically stable where log(softmax) is not. It shares the weights; dispose `model` only.
   */
  logitsModel: LayersModel;
  inference: GraphInference;
  /**
   * The tfjs layers each flat node built (a node may build several: a conv and its activation), by flat
   * node id (a block's layers as "block/inner"): the way from the graph's nodes to the model's layers.
   */
  nodeLayers: ReadonlyMap<string, readonly string[]>;
  /** Each flat node's output in the model, by flat node id: what inspecting a layer reads. */
  nodeOutputs: ReadonlyMap<string, SymbolicTensor>;
}

export type CompileError = { kind: 'graphHasErrors'; diagnostics: Diagnostic[]; message: string };

/**
 * tfjs layer names: letters, digits, _ . - only, starting with a letter or digit (tfjs refuses a weight
 * name like "_c/kernel" or "__proto__/kernel"), never a property every object has, and unique in the
 * model. Any node id gives one.
 */
export function layerNames(): (id: string) => string {
  const used = new Set<string>();
  return (id) => {
    const safe = id.replace(/[^A-Za-z0-9_.-]/g, '_');
    // tfjs keeps tensors by name in plain objects: "constructor" or "toString" would find Object's own.
    const base = /^[A-Za-z0-9]/.test(safe) && !(safe in Object.prototype) ? safe : `n${safe}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return name;
  };
}

/**
 * Compiles a graph to a tfjs model through the functional API, from the very shapes and parameters that
 * shape propagation checked: what the canvas shows is what runs.
 */
export function compileGraph(
  graph: Graph,
  inference: GraphInference = inferShapes(graph),
): Result<CompiledGraph, CompileError> {
  if (hasErrors(inference)) {
    const diagnostics = inference.diagnostics.filter((d) => d.severity === 'error');
    return failure({
      kind: 'graphHasErrors',
      diagnostics,
      message: `The graph has ${diagnostics.length} problem(s): ${diagnostics[0]!.message}`,
    });
  }
  const { flat } = inference;
  const feeding = feedingOf(flat.edges);
  const tensors = new Map<string, SymbolicTensor>();
  const nameOf = layerNames();
  const nodeLayers = new Map<string, string[]>();
  const inputs: SymbolicTensor[] = [];
  const outputs: SymbolicTensor[] = [];
  const logits: SymbolicTensor[] = [];
  for (const node of flat.order) {
    const kind = flat.kinds.get(node.id)!;
    const params = flat.params.get(node.id);
    const result = flat.results.get(node.id);
    if (result?.status !== 'ok') continue;
    const ports = feeding.get(node.id);
    const xs = kind.inputs(params).map((port) => tensors.get(ports!.get(port)!.node)!);
    const y = kind.tfjs.build(xs, params, {
      name: nameOf(node.id),
      inputShapes: result.inputShapes,
      outputShape: result.shape,
    });
    tensors.set(node.id, y);
    nodeLayers.set(node.id, layersBetween(xs, y));
    if (isInputNode(node)) inputs.push(y);
    if (isOutputNode(node)) {
      outputs.push(y);
      logits.push(xs[0]!);
    }
  }
  const model = tfModel({ inputs, outputs, name: 'blockwise' });
  const logitsModel = tfModel({ inputs, outputs: logits, name: 'blockwise_logits' });
  return success({ model, logitsModel, inference, nodeLayers, nodeOutputs: tensors });
}

/**
 * A flat node's weights by role ("kernel", "bias", "gamma", "moving_mean", …), over the tfjs layers it built.
 * A weight's originalName is "<layer>/<role>"; tfjs suffixes the role (kernel_1) when another model
 * already used the name.
 */
export function nodeWeights(compiled: CompiledGraph, flatId: string): Map<string, LayerVariable> {
  const built = new Set(compiled.nodeLayers.get(flatId) ?? []);
  const weights = new Map<string, LayerVariable>();
  for (const layer of compiled.model.layers)
    if (built.has(layer.name))
      for (const w of layer.weights) weights.set(w.originalName.split('/').pop()!.replace(/_\d+$/, ''), w);
  return weights;
}

/** The names of the layers a node's builder added between its inputs and its output. */
function layersBetween(inputs: readonly SymbolicTensor[], output: SymbolicTensor): string[] {
  const stop = new Set(inputs.map((t) => t.id));
  const names = new Set<string>();
  const todo = [output];
  for (let t = todo.pop(); t; t = todo.pop()) {
    if (stop.has(t.id) || names.has(t.sourceLayer.name)) continue;
    names.add(t.sourceLayer.name);
    todo.push(...(t.sourceLayer.inboundNodes[t.nodeIndex]?.inputTensors ?? []));
  }
  return [...names];
}

/** The channels-first shape our graph shows for a channels-last tfjs tensor shape (batch dropped). */
export function toChannelsFirst(tfShape: readonly (number | null)[]): number[] {
  const dims = tfShape.slice(1) as number[];
  return dims.length === 3 ? [dims[2]!, dims[0]!, dims[1]!] : dims;
}
