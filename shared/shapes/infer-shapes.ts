import type { Graph, GraphEdge, GraphNode } from '../graph/document.ts';
import {
  flattenGraph,
  PAST_THE_CAP,
  replacedLayers,
  topLevelId,
  withReplacedLayers,
  type FlatGraph,
} from '../blocks/flatten-graph.ts';
import type { ParamCount } from '../layers/kind.ts';
import { inferFlat, reinferFlat, type FlatInference, type LayerInference } from './infer-flat.ts';
import type { Diagnostic } from './diagnostic.ts';
import type { Shape } from '../shape.ts';
import { networkLimitDiagnostics } from './machine-limits.ts';
import { unusedLayers } from './unused-layers.ts';

/** What the canvas shows on one top-level node (a layer, or a block instance summed over its layers). */
export type NodeInference =
  | {
      status: 'ok';
      outputs: ReadonlyMap<string, Shape>;
      params: ParamCount;
      flops: number;
      memoryBytes: number;
    }
  | { status: 'error' }
  | { status: 'blocked' };

export interface Totals {
  params: ParamCount;
  flops: number;
  /** Activation bytes for one sample; multiply by the batch size. */
  memoryBytes: number;
}

export interface GraphInference {
  nodes: Map<string, NodeInference>;
  /** The tensor shape on each edge, where known. */
  edges: Map<string, Shape>;
  diagnostics: Diagnostic[];
  totals: Totals;
  /** The graph with blocks expanded and its per-layer results: the compiler and the summary table read these. */
  flat: FlatGraph & FlatInference;
}

export const hasErrors = (inf: GraphInference): boolean =>
  inf.diagnostics.some((d) => d.severity === 'error');

/** An earlier graph and its inference: what an edit left alone is reused from it. */
export interface EarlierInference {
  graph: Graph;
  inference: GraphInference;
}

/**
 * Propagates shapes through the whole graph: a result per node and diagnostics pinned where they arise.
 * Given the inference of an earlier graph (the one before an edit), what the edit cannot reach is reused,
 * the same objects: only what lies downstream of a change is inferred again.
 */
export function inferShapes(graph: Graph, earlier?: EarlierInference): GraphInference {
  const replaced = earlier && replacedLayers(earlier.graph, graph);
  const before = earlier?.inference.flat;
  const flatGraph = replaced ? withReplacedLayers(before!, replaced) : flattenGraph(graph);
  const { nodes, edges, problems } = flatGraph;
  const inferred = replaced
    ? reinferFlat(before!, replaced, problems)
    : inferFlat(nodes, edges, problems, before);
  const flat = { ...flatGraph, ...inferred };
  const scope = inferScope(
    flat,
    '',
    graph.nodes,
    [...checkInputsAndOutputs(flat.nodes, graph), ...unusedLayers(graph, graph.blocks)],
    earlier?.inference,
  );
  scope.diagnostics.push(...networkLimitDiagnostics(weightsByNode(scope.nodes)));
  if (flat.problems.size) putCapFirst(scope.diagnostics);
  return { ...scope, edges: edgeShapes(graph.edges, scope.nodes), flat };
}

/** Past the expansion cap, the cap is said first: the thousands of problems after it follow from it. */
function putCapFirst(diagnostics: Diagnostic[]): void {
  const pastCap = (d: Diagnostic) => Number(d.message.endsWith(PAST_THE_CAP.message));
  if (diagnostics.some(pastCap)) diagnostics.sort((a, b) => pastCap(b) - pastCap(a));
}

/** Each top-level node's weights and statistics, where known. */
function weightsByNode(nodes: ReadonlyMap<string, NodeInference>): Map<string, number> {
  const weights = new Map<string, number>();
  for (const [id, r] of nodes)
    if (r.status === 'ok') weights.set(id, r.params.trainable + r.params.nonTrainable);
  return weights;
}

/**
 * The results of the nodes directly inside one scope of the flat graph: the whole graph (prefix ""), or the
 * inside of a block instance (prefix "<flat id>/"). Each node sums the layers it owns.
 */
export function inferScope(
  flat: GraphInference['flat'],
  prefix: string,
  nodes: readonly GraphNode[],
  extraDiagnostics: Diagnostic[] = [],
  previous?: Pick<GraphInference, 'nodes' | 'flat'>,
): Omit<GraphInference, 'edges' | 'flat'> {
  const diagnostics = [...collectDiagnostics(flat, prefix), ...extraDiagnostics];
  const results = new Map<string, NodeInference>();
  const totals: Totals = { params: { trainable: 0, nonTrainable: 0 }, flops: 0, memoryBytes: 0 };
  // Only block instances own more than their own layer: the grouping is skipped for a graph without any.
  const owned = flat.instances.size ? groupByOwner(flat.results, prefix) : null;
  for (const node of nodes) {
    const id = prefix + node.id;
    const result = flat.instances.has(id)
      ? summarize(id, owned?.get(node.id) ?? [], flat)
      : (earlierLayerResult(id, node.id, flat, previous) ?? summarizeLayer(flat.results.get(id)));
    results.set(node.id, result);
    if (result.status !== 'ok') continue;
    totals.params.trainable += result.params.trainable;
    totals.params.nonTrainable += result.params.nonTrainable;
    totals.flops += result.flops;
    totals.memoryBytes += result.memoryBytes;
  }
  for (const d of diagnostics)
    if (d.nodeId && d.severity === 'error') results.set(d.nodeId, { status: 'error' });
  return { nodes: results, diagnostics, totals };
}

/** The tensor shape on each edge whose source has a known output. */
export function edgeShapes(
  edges: readonly GraphEdge[],
  nodes: ReadonlyMap<string, NodeInference>,
): Map<string, Shape> {
  const shapes = new Map<string, Shape>();
  for (const e of edges) {
    const src = nodes.get(e.source);
    const shape = src?.status === 'ok' ? src.outputs.get(e.sourceHandle) : undefined;
    if (shape) shapes.set(e.id, shape);
  }
  return shapes;
}

/** The flat id's owner among a scope's nodes, or undefined when it lies outside the scope. */
function ownerIn(prefix: string, flatId: string): string | undefined {
  return flatId.startsWith(prefix) ? topLevelId(flatId.slice(prefix.length)) : undefined;
}

function groupByOwner(results: Map<string, LayerInference>, prefix: string): Map<string, LayerInference[]> {
  const owned = new Map<string, LayerInference[]>();
  for (const [id, r] of results) {
    const owner = ownerIn(prefix, id);
    if (owner === undefined) continue;
    const list = owned.get(owner);
    if (list) list.push(r);
    else owned.set(owner, [r]);
  }
  return owned;
}

/**
 * A layer's earlier result on the canvas when its layer kept its earlier inference (never one that a problem
 * elsewhere turned into an error: that is decided again).
 */
function earlierLayerResult(
  flatId: string,
  id: string,
  flat: GraphInference['flat'],
  previous: Pick<GraphInference, 'nodes' | 'flat'> | undefined,
): NodeInference | undefined {
  const was = previous?.nodes.get(id);
  const same =
    was && was.status !== 'error' && previous!.flat.results.get(flatId) === flat.results.get(flatId);
  return same ? was : undefined;
}

/** A layer's result on the canvas: its one output, "out". */
function summarizeLayer(r: LayerInference | undefined): NodeInference {
  if (!r || r.status === 'blocked') return { status: 'blocked' };
  if (r.status === 'error') return { status: 'error' };
  const { params, flops, memoryBytes } = r;
  return { status: 'ok', outputs: new Map([['out', r.shape]]), params, flops, memoryBytes };
}

function summarize(flatId: string, parts: LayerInference[], flat: GraphInference['flat']): NodeInference {
  if (parts.some((p) => p.status === 'error')) return { status: 'error' };
  if (parts.length === 0 || parts.some((p) => p.status === 'blocked')) return { status: 'blocked' };
  const ok = parts as Extract<LayerInference, { status: 'ok' }>[];
  const instance = flat.instances.get(flatId);
  const outputs = new Map<string, Shape>();
  if (instance) {
    for (const [port, src] of instance.outputs) {
      const r = flat.results.get(src.node);
      if (r?.status === 'ok') outputs.set(port, r.shape);
    }
  } else {
    outputs.set('out', ok[0]!.shape);
  }
  return {
    status: 'ok',
    outputs,
    params: {
      trainable: ok.reduce((s, p) => s + p.params.trainable, 0),
      nonTrainable: ok.reduce((s, p) => s + p.params.nonTrainable, 0),
    },
    flops: ok.reduce((s, p) => s + p.flops, 0),
    memoryBytes: ok.reduce((s, p) => s + p.memoryBytes, 0),
  };
}

/** Layer problems inside a scope, re-pinned from inner layers to the scope's node that holds them. */
function collectDiagnostics(flat: GraphInference['flat'], prefix: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const r of flat.results.values()) {
    if (r.status !== 'error') continue;
    for (const d of r.diagnostics) {
      if (!d.nodeId?.startsWith(prefix)) continue;
      const pinned = repin(d, prefix, flat);
      const key = `${pinned.nodeId}\u0000${pinned.port}\u0000${pinned.code}\u0000${pinned.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(pinned);
    }
  }
  return out;
}

/** The block input (of instance `flatId`) that feeds an inner layer's port, if any. */
function blockInputFeeding(flat: GraphInference['flat'], flatId: string, inner: string, port: string) {
  for (const [name, targets] of flat.instances.get(flatId)?.inputs ?? [])
    if (targets.some((t) => t.node === inner && t.port === port)) return name;
  return undefined;
}

function repin(d: Diagnostic, prefix: string, flat: GraphInference['flat']): Diagnostic {
  const inner = d.nodeId!;
  const owner = ownerIn(prefix, inner)!;
  if (prefix + owner === inner) return { ...d, nodeId: owner };
  const ownerFlat = prefix + owner;
  const blockInput =
    d.code === 'missingInput' && d.port !== undefined
      ? blockInputFeeding(flat, ownerFlat, inner, d.port)
      : undefined;
  if (blockInput !== undefined) {
    return {
      ...d,
      nodeId: owner,
      port: blockInput,
      message: `Input "${blockInput}" of this block is not connected. Drag an edge from the previous layer's output to it.`,
    };
  }
  const type = flat.nodesById.get(inner)?.type ?? 'layer';
  const { port: _port, ...rest } = d;
  return {
    ...rest,
    nodeId: owner,
    innerNodeId: inner,
    message: `Inside the block, ${type} "${inner.slice(ownerFlat.length + 1)}": ${d.message}`,
  };
}

function checkInputsAndOutputs(flatNodes: readonly GraphNode[], graph: Graph): Diagnostic[] {
  if (graph.nodes.length === 0) return [];
  const out: Diagnostic[] = [];
  for (const [type, code, verb] of [
    ['Input', 'inputCount', 'feeds the network'],
    ['Output', 'outputCount', 'gives the class scores'],
  ] as const) {
    const found = flatNodes.filter((n) => n.type === type);
    if (found.length === 0) {
      out.push({
        severity: 'error',
        code,
        message: `The graph has no ${type} layer. Drag one from the palette: it ${verb}.`,
      });
    }
    if (found.length > 1) {
      for (const n of found) {
        out.push({
          severity: 'error',
          code,
          nodeId: topLevelId(n.id),
          message: `The graph has ${found.length} ${type} layers; training needs exactly one. Delete the extra ones.`,
        });
      }
    }
  }
  return out;
}
