import { feedingOf, topLevelId } from '../../blocks/flatten-graph.ts';
import { nodeWeights, type CompiledGraph } from '../../compile/compile-graph.ts';
import type { FeatureOrder, WeightArray } from '../../layers/kind.ts';
import { failure, success, type Result } from '../../result.ts';
import type { ExportRefusal } from './model-code.ts';

/** One tensor of a PyTorch state_dict: its full name ("residual1.conv2d1.weight"), shape and values. */
export interface StateEntry extends WeightArray {
  name: string;
}

/** A layer with weights in model.py: its flat node, its module path, and how its tfjs weights lay out there. */
export interface TorchLayer {
  nodeId: string;
  path: string;
  /** tfjs's weights by role (kernel, bias, gamma, …) as the module's state_dict tensors (weight, bias, …). */
  toTorch(roles: ReadonlyMap<string, WeightArray>): Record<string, WeightArray>;
}

/**
 * The compiled graph's layers with weights, in the graph's order, under the module paths model.py gives them:
 * each layer kind lays its own out (conv kernels to [out, in, kh, kw], a Dense after a Flatten reordered from
 * tfjs's H, W, C to C, H, W). A graph whose feature order cannot be reconciled is refused at its node.
 */
export function torchLayers(
  compiled: CompiledGraph,
  modulePaths: ReadonlyMap<string, string>,
): Result<TorchLayer[], ExportRefusal> {
  const { flat } = compiled.inference;
  const feeding = feedingOf(flat.edges);
  const orders = new Map<string, FeatureOrder>();
  const layers: TorchLayer[] = [];
  for (const node of flat.order) {
    const kind = flat.kinds.get(node.id)!;
    const params = flat.params.get(node.id);
    const result = flat.results.get(node.id);
    if (result?.status !== 'ok') continue;
    const ctx = { inputShapes: result.inputShapes, outputShape: result.shape };
    const inputOrders = kind
      .inputs(params)
      .map((port) => orders.get(feeding.get(node.id)!.get(port)!.node) ?? null);
    const order = kind.torch.featureOrder?.(inputOrders, ctx) ?? null;
    if (typeof order === 'string')
      return failure({ nodeId: topLevelId(node.id), message: `${node.id}: ${order}` });
    orders.set(node.id, order);
    const path = modulePaths.get(node.id);
    const layout = kind.torch.weights;
    if (!path || !layout) continue;
    const toTorch = (roles: ReadonlyMap<string, WeightArray>) =>
      layout(roles, { ...ctx, inputOrder: inputOrders[0] ?? null });
    layers.push({ nodeId: node.id, path, toTorch });
  }
  const rank = new Map([...modulePaths.keys()].map((id, i) => [id, i]));
  return success(layers.sort((a, b) => rank.get(a.nodeId)! - rank.get(b.nodeId)!));
}

/** A compiled graph's weights as the state_dict of its exported model.py, in the graph's order. */
export function pytorchStateDict(
  compiled: CompiledGraph,
  modulePaths: ReadonlyMap<string, string>,
): Result<StateEntry[], ExportRefusal> {
  const layers = torchLayers(compiled, modulePaths);
  if (!layers.ok) return layers;
  const entries: StateEntry[] = [];
  for (const { nodeId, path, toTorch } of layers.value) {
    const roles = new Map(
      [...nodeWeights(compiled, nodeId)].map(([role, w]): [string, WeightArray] => [
        role,
        { shape: w.shape as number[], values: w.read().dataSync() as Float32Array },
      ]),
    );
    for (const [name, w] of Object.entries(toTorch(roles))) entries.push({ name: `${path}.${name}`, ...w });
  }
  return success(entries);
}

/** The state_dict as two files: a manifest (names, shapes, byte offsets) and the float32 values, little-endian. */
export function stateDictFiles(entries: readonly StateEntry[]): { manifest: string; bin: Uint8Array } {
  const values = new Float32Array(entries.reduce((n, e) => n + e.values.length, 0));
  let offset = 0;
  const manifest = entries.map((e) => {
    values.set(e.values, offset);
    offset += e.values.length;
    return { name: e.name, shape: e.shape, offset: 4 * (offset - e.values.length) };
  });
  return { manifest: JSON.stringify(manifest, null, 1), bin: littleEndianFloats(values) };
}

/** float32 values as little-endian bytes, whatever the machine's own order (Python reads them so). */
export function littleEndianFloats(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(4 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return bytes;
}
