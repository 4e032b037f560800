import { input, model as tfModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { CompiledGraph } from '../compile/compile-graph.ts';
import { failure, success, type Result } from '../result.ts';

type Layer = LayersModel['layers'][number];

/** Where the compiled model called a layer: its first call (a head made before calls it again). */
const firstCall = (layer: Layer) => layer.inboundNodes[0]!;

/**
 * Walks the layers after a node's output in the order the model runs them, calling `visit` with each layer
 * that reads it (directly or through others) and the tensors it reads; answers why no head exists when a
 * layer reads both from after the node and from around it.
 */
function walkHead(
  compiled: CompiledGraph,
  nodeId: string,
  visit: (layer: Layer, inputs: SymbolicTensor[]) => void,
): string | null {
  const start = compiled.nodeOutputs.get(nodeId);
  if (!start) return `${nodeId}: no such layer in the compiled network`;
  const reached = new Set([start.id]);
  for (const layer of compiled.logitsModel.layers) {
    const inputs = firstCall(layer).inputTensors;
    const after = inputs.filter((t) => reached.has(t.id));
    if (after.length === 0) continue;
    const around = inputs.find((t) => !reached.has(t.id));
    if (around)
      return (
        `${nodeId}: the network reads around it (layer ${layer.name} also takes ${around.sourceLayer.name}); ` +
        'choose a layer every path to the output passes through, such as a block’s output'
      );
    visit(layer, inputs);
    reached.add(firstCall(layer).outputTensors[0]!.id);
  }
  return reached.has(compiled.logitsModel.outputs[0]!.id)
    ? null
    : `${nodeId}: the output does not depend on it`;
}

/** Whether the network after a node is a function of that node's output alone (null), or why not. */
export const headProblem = (compiled: CompiledGraph, nodeId: string): string | null =>
  walkHead(compiled, nodeId, () => {});

/**
 * The network after one node, as a model from that node's output to the logits, sharing the compiled
 * model's layers and weights: what Grad-CAM differentiates. Only a node every path to the output passes
 * through has such a head (a residual block's output, not a layer inside it whose input the add also
 * takes): any other is refused, naming the layer that reads around it.
 */
export function headModel(compiled: CompiledGraph, nodeId: string): Result<LayersModel, string> {
  const start = compiled.nodeOutputs.get(nodeId);
  const fresh = start && input({ shape: start.shape.slice(1) as number[] });
  const replayed = new Map<number, SymbolicTensor>(start && fresh ? [[start.id, fresh]] : []);
  const problem = walkHead(compiled, nodeId, (layer, inputs) => {
    const xs = inputs.map((t) => replayed.get(t.id)!);
    const y = layer.apply(xs.length === 1 ? xs[0]! : xs) as SymbolicTensor;
    replayed.set(firstCall(layer).outputTensors[0]!.id, y);
  });
  if (problem || !fresh) return failure(problem ?? `${nodeId}: no such layer`);
  const logits = replayed.get(compiled.logitsModel.outputs[0]!.id)!;
  return success(tfModel({ inputs: fresh, outputs: logits, name: 'head' }));
}
