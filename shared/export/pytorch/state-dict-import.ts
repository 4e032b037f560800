import { tensor } from '@tensorflow/tfjs-core';
import { feedingOf } from '../../blocks/flatten-graph.ts';
import { nodeWeights, type CompiledGraph } from '../../compile/compile-graph.ts';
import type { Graph } from '../../graph/document.ts';
import type { WeightArray } from '../../layers/kind.ts';
import { isOutputNode } from '../../layers/registry.ts';
import { failure, success, type Result } from '../../result.ts';
import { pytorchModel } from './model-code.ts';
import { torchLayers, type StateEntry, type TorchLayer } from './state-dict.ts';

/** What a state_dict's load did beyond filling every layer. */
export interface StateDictLoad {
  /** Layers whose weights came from the file. */
  loaded: number;
  /** The head (the layer before the Output) when the file's has another number of classes: left to train. */
  freshHead: string | null;
  /** The file's tensors no layer of the design takes (a torchvision GoogLeNet's auxiliary heads). */
  unused: string[];
}

const shapeText = (shape: readonly number[]) => shape.join('×');

/**
 * Puts a PyTorch state_dict into a compiled graph by the names its exported model.py has (torchvision's for
 * the torchvision templates), each tensor laid out back into tfjs's channels-last form. A tensor missing or
 * of another shape is refused naming the layer and the tensor; only the head may differ, in its classes
 * (transfer learning: it starts fresh). Nothing is written unless every layer fits.
 */
export function loadTorchStateDict(
  graph: Graph,
  compiled: CompiledGraph,
  entries: readonly StateEntry[],
): Result<StateDictLoad, string> {
  const model = pytorchModel(graph, compiled.inference);
  if (!model.ok) return failure(model.error.message);
  const layers = torchLayers(compiled, model.value.modulePaths);
  if (!layers.ok) return failure(layers.error.message);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const head = headOf(compiled);
  const writes: [CompiledGraph['model']['weights'][number], WeightArray][] = [];
  let freshHead: string | null = null;
  for (const layer of layers.value) {
    const variables = nodeWeights(compiled, layer.nodeId);
    const shapes = new Map([...variables].map(([role, v]) => [role, v.shape as number[]]));
    const placed = fromTorch(layer, shapes, byName);
    if (!placed.ok && layer.nodeId === head && placed.error.misshapen) {
      freshHead = `${layer.nodeId} (${layer.path})`;
      continue;
    }
    if (!placed.ok) return failure(placed.error.message);
    for (const [role, w] of placed.value) writes.push([variables.get(role)!, w]);
  }
  for (const [variable, w] of writes) variable.write(tensor(w.values, w.shape));
  const taken = new Set(
    layers.value.flatMap((l) => [...byName.keys()].filter((n) => n.startsWith(`${l.path}.`))),
  );
  const unused = entries.map((e) => e.name).filter((n) => !taken.has(n));
  return success({ loaded: layers.value.length - (freshHead ? 1 : 0), freshHead, unused });
}

/**
 * A state_dict's load as imported runs take it: what the user should hear beyond "loaded" (a head left to
 * train, tensors with no place), or why it does not fit.
 */
export function stateDictLoader(graph: Graph, entries: readonly StateEntry[]) {
  return (compiled: CompiledGraph): Result<string, string> => {
    const loaded = loadTorchStateDict(graph, compiled, entries);
    if (!loaded.ok) return loaded;
    const { freshHead, unused } = loaded.value;
    const more = unused.length > 3 ? ', …' : '';
    return success(
      [
        ...(freshHead
          ? [`the head ${freshHead} has other classes in the file: it starts fresh, to train`]
          : []),
        ...(unused.length
          ? [
              `${unused.length} tensor(s) of the file have no layer here and were left out (${unused.slice(0, 3).join(', ')}${more})`,
            ]
          : []),
      ].join('; '),
    );
  };
}

/** The layer that feeds the Output: the head a new task retrains. */
function headOf(compiled: CompiledGraph): string | null {
  const { flat } = compiled.inference;
  const output = flat.order.find((n) => isOutputNode(n));
  return output ? (feedingOf(flat.edges).get(output.id)?.get('in')?.node ?? null) : null;
}

/**
 * A layer's tfjs weights by role from the file's tensors. Where each value goes is read off the layer kind's own
 * layout (toTorch) run on the values' positions, so the import is the export's exact inverse; positions go in
 * two parts (below and above 4096), each exact in float32 whatever the layer's size.
 */
function fromTorch(
  layer: TorchLayer,
  shapes: ReadonlyMap<string, number[]>,
  byName: ReadonlyMap<string, StateEntry>,
): Result<Map<string, WeightArray>, { message: string; misshapen: boolean }> {
  const roles = [...shapes];
  const sizes = roles.map(([, shape]) => shape.reduce((n, d) => n * d, 1));
  const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((n, s) => n + s, 0));
  const probe = (part: (position: number) => number) =>
    layer.toTorch(
      new Map(
        roles.map(([role, shape], r) => [
          role,
          { shape, values: Float32Array.from({ length: sizes[r]! }, (_, i) => part(starts[r]! + i)) },
        ]),
      ),
    );
  const low = probe((p) => p % 4096);
  const high = probe((p) => Math.floor(p / 4096));
  const all = new Float32Array(sizes.reduce((n, s) => n + s, 0));
  const where = `layer "${layer.nodeId}" (${layer.path})`;
  for (const [name, want] of Object.entries(low)) {
    const full = `${layer.path}.${name}`;
    const got = byName.get(full);
    if (!got) return failure({ message: `${where}: the file has no ${full}`, misshapen: false });
    if (shapeText(got.shape) !== shapeText(want.shape))
      return failure({
        message: `${where}: ${full} is ${shapeText(got.shape)} in the file; the design needs ${shapeText(want.shape)}`,
        misshapen: true,
      });
    const above = high[name]!.values;
    want.values.forEach((l, j) => (all[above[j]! * 4096 + l] = got.values[j]!));
  }
  return success(
    new Map(
      roles.map(([role, shape], r) => [
        role,
        { shape, values: all.slice(starts[r]!, starts[r]! + sizes[r]!) },
      ]),
    ),
  );
}
