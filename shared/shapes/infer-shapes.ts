import type { Graph, GraphNode } from '../graph/document.ts';
import { blockRef } from '../graph/document.ts';
import { flattenGraph, topLevelId, type FlatGraph } from '../blocks/flatten-graph.ts';
import type { ParamCount } from '../layers/kind.ts';
import { inferFlat, type FlatInference, type LayerInference } from './infer-flat.ts';
import type { Diagnostic } from './diagnostic.ts';
import type { Shape } from './shape.ts';

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

/** Propagates shapes through the whole graph: a result per node and diagnostics pinned where they arise. */
export function inferShapes(graph: Graph): GraphInference {
  const flatGraph = flattenGraph(graph);
  const flat = { ...flatGraph, ...inferFlat(flatGraph.nodes, flatGraph.edges, flatGraph.problems) };
  const diagnostics = collectDiagnostics(flat);
  diagnostics.push(...checkInputsAndOutputs(flat.nodes, graph), ...unusedOutputs(graph));
  const nodes = new Map<string, NodeInference>();
  const totals: Totals = { params: { trainable: 0, nonTrainable: 0 }, flops: 0, memoryBytes: 0 };
  const owned = groupByOwner(flat.results);
  for (const node of graph.nodes) {
    const result = summarize(node, owned.get(node.id) ?? [], flat);
    nodes.set(node.id, result);
    if (result.status !== 'ok') continue;
    totals.params.trainable += result.params.trainable;
    totals.params.nonTrainable += result.params.nonTrainable;
    totals.flops += result.flops;
    totals.memoryBytes += result.memoryBytes;
  }
  for (const d of diagnostics)
    if (d.nodeId && d.severity === 'error') nodes.set(d.nodeId, { status: 'error' });
  const edges = new Map<string, Shape>();
  for (const e of graph.edges) {
    const src = nodes.get(e.source);
    const shape = src?.status === 'ok' ? src.outputs.get(e.sourceHandle) : undefined;
    if (shape) edges.set(e.id, shape);
  }
  return { nodes, edges, diagnostics, totals, flat };
}

function groupByOwner(results: Map<string, LayerInference>): Map<string, LayerInference[]> {
  const owned = new Map<string, LayerInference[]>();
  for (const [id, r] of results) {
    const top = topLevelId(id);
    const list = owned.get(top);
    if (list) list.push(r);
    else owned.set(top, [r]);
  }
  return owned;
}

function summarize(node: GraphNode, parts: LayerInference[], flat: GraphInference['flat']): NodeInference {
  if (parts.some((p) => p.status === 'error')) return { status: 'error' };
  if (parts.length === 0 || parts.some((p) => p.status === 'blocked')) return { status: 'blocked' };
  const ok = parts as Extract<LayerInference, { status: 'ok' }>[];
  const instance = flat.instances.get(node.id);
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

/** Layer problems, re-pinned from inner layers to the block instance that holds them. */
function collectDiagnostics(flat: GraphInference['flat']): Diagnostic[] {
  const boundary = new Map<string, { node: string; port: string }>();
  for (const [id, ports] of flat.instances) {
    for (const [port, targets] of ports.inputs)
      for (const t of targets) boundary.set(`${t.node}\u0000${t.port}`, { node: id, port });
  }
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const r of flat.results.values()) {
    if (r.status !== 'error') continue;
    for (const d of r.diagnostics) {
      const pinned = repin(d, boundary, flat);
      const key = `${pinned.nodeId}\u0000${pinned.port}\u0000${pinned.code}\u0000${pinned.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(pinned);
    }
  }
  return out;
}

function repin(
  d: Diagnostic,
  boundary: Map<string, { node: string; port: string }>,
  flat: GraphInference['flat'],
): Diagnostic {
  const inner = d.nodeId!;
  const top = topLevelId(inner);
  if (top === inner) return d;
  const edge =
    d.code === 'missingInput' && d.port !== undefined ? boundary.get(`${inner}\u0000${d.port}`) : undefined;
  if (edge) {
    return {
      ...d,
      nodeId: edge.node,
      port: edge.port,
      message: `Input "${edge.port}" of this block is not connected. Drag an edge from the previous layer's output to it.`,
    };
  }
  const type = flat.nodes.find((n) => n.id === inner)?.type ?? 'layer';
  const { port: _port, ...rest } = d;
  return {
    ...rest,
    nodeId: top,
    innerNodeId: inner,
    message: `Inside the block, ${type} "${inner.slice(top.length + 1)}": ${d.message}`,
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

function unusedOutputs(graph: Graph): Diagnostic[] {
  const used = new Set(graph.edges.map((e) => e.source));
  return graph.nodes
    .filter((n) => n.type !== 'Output' && !used.has(n.id))
    .map((n) => ({
      severity: 'warning' as const,
      code: 'unusedOutput' as const,
      nodeId: n.id,
      message: `The output of this ${blockRef(n.type) === null ? 'layer' : 'block'} is not used. Connect it to the next layer, or delete it.`,
    }));
}
