import type { GraphEdge, GraphNode } from '../graph/document.ts';
import { layerKind } from '../layers/registry.ts';
import type { LayerKind, ParamCount, ShapeProblem } from '../layers/kind.ts';
import { unknownParamMessage } from '../layers/unknown-params.ts';
import type { z } from 'zod';
import { issuesProblem } from '../layers/param-words.ts';
import { machineLimitProblem } from './machine-limits.ts';
import { elementCount, type Shape } from '../shape.ts';
import type { Diagnostic } from './diagnostic.ts';

/** What shape propagation learned about one layer node. */
export type LayerInference =
  | {
      status: 'ok';
      shape: Shape;
      inputShapes: Shape[];
      params: ParamCount;
      flops: number;
      memoryBytes: number;
    }
  | { status: 'error'; diagnostics: Diagnostic[] }
  /** Not checked: an input comes from a node with a problem, which is reported there. */
  | { status: 'blocked' };

export interface FlatInference {
  results: Map<string, LayerInference>;
  /** Layer nodes in topological order (nodes on or after a cycle are left out). */
  order: GraphNode[];
  /** Parsed parameters of every layer that has valid ones. */
  params: Map<string, unknown>;
  kinds: Map<string, LayerKind>;
  /** Every layer node by id. */
  nodesById: Map<string, GraphNode>;
  /** The edges into each layer, by target id, in the graph's order. */
  incoming: Map<string, GraphEdge[]>;
  /** Layers along the longest path to each placed layer (tfjs builds at most so many). */
  depths: Map<string, number>;
}

type Parsed = { ok: true; value: unknown } | { ok: false; problem: ShapeProblem };

/** Parameters are parsed once per params object: edits replace the object, everything else keeps it. */
const parsedParams = new WeakMap<object, { kind: LayerKind; parsed: Parsed }>();

function parseParams(kind: LayerKind, params: Record<string, unknown>): Parsed {
  const hit = parsedParams.get(params);
  if (hit && hit.kind === kind) return hit.parsed;
  const unknown = unknownParamMessage(kind.title, kind.params, params);
  const r = kind.params.safeParse(params);
  const parsed: Parsed = unknown
    ? { ok: false, problem: { code: 'badParams', message: unknown } }
    : r.success
      ? { ok: true, value: r.data }
      : { ok: false, problem: { code: 'badParams', message: describeProblem(kind, r.error.issues) } };
  parsedParams.set(params, { kind, parsed });
  return parsed;
}

function describeProblem(kind: LayerKind, issues: readonly z.core.$ZodIssue[]): string {
  const { param, words } = issuesProblem(kind.params, issues);
  return `${kind.title} parameter ${param || '(all)'}: ${words}. Correct it in the inspector.`;
}

const error = (nodeId: string, p: ShapeProblem): LayerInference => ({
  status: 'error',
  diagnostics: [
    {
      severity: 'error',
      nodeId,
      code: p.code,
      message: p.message,
      ...(p.port === undefined ? {} : { port: p.port }),
    },
  ],
});

/**
 * Kahn's algorithm over node indices (no per-node maps); returns the order and the nodes it could not place
 * (on or after a cycle), and each node's successors by id for the cycle search.
 */
function topologicalOrder(nodes: readonly GraphNode[], edges: readonly GraphEdge[]) {
  const index = new Map<string, number>();
  nodes.forEach((n, i) => index.set(n.id, i));
  const indegree = new Int32Array(nodes.length);
  const next: number[][] = [];
  for (const e of edges) {
    const from = index.get(e.source);
    const to = index.get(e.target);
    if (from === undefined || to === undefined) continue;
    indegree[to]! += 1;
    (next[from] ??= []).push(to);
  }
  const queue: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (indegree[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++)
    for (const t of next[queue[q]!] ?? []) if (--indegree[t]! === 0) queue.push(t);
  const left = nodes.filter((_, i) => indegree[i]! > 0);
  const successors = (id: string) => (next[index.get(id)!] ?? []).map((t) => nodes[t]!.id);
  return { order: queue.map((i) => nodes[i]!), left, successors };
}

/**
 * Nodes that lie on a cycle: those in a strongly connected component of more than one node, or with an
 * edge to themselves. Tarjan's algorithm, iterative (no recursion to overflow), linear in the leftovers.
 */
function nodesOnCycles(left: readonly GraphNode[], next: (id: string) => string[]): Set<string> {
  const pending = new Set(left.map((n) => n.id));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const onCycle = new Set<string>();
  const successors = (id: string) => next(id).filter((t) => pending.has(t));
  for (const root of pending) {
    if (index.has(root)) continue;
    const work: { id: string; children: string[]; at: number }[] = [];
    const open = (id: string) => {
      index.set(id, index.size);
      low.set(id, index.get(id)!);
      stack.push(id);
      onStack.add(id);
      work.push({ id, children: successors(id), at: 0 });
    };
    open(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      if (frame.at < frame.children.length) {
        const child = frame.children[frame.at++]!;
        if (!index.has(child)) open(child);
        else if (onStack.has(child)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(child)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.id);
      if (component.length > 1 || successors(frame.id).includes(frame.id))
        component.forEach((id) => onCycle.add(id));
    }
  }
  return onCycle;
}

/** The edges into each layer, by target id, in the graph's order. */
function incomingEdges(edges: readonly GraphEdge[]): Map<string, GraphEdge[]> {
  const incoming = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    const list = incoming.get(e.target);
    if (list) list.push(e);
    else incoming.set(e.target, [e]);
  }
  return incoming;
}

/**
 * Shape propagation over a graph of layers only (blocks already expanded). With an earlier inference, a
 * layer whose type, parameters (the same object), edges in, depth and sources' results are all unchanged
 * keeps its earlier result: an edit re-infers only what lies downstream of it.
 */
export function inferFlat(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  expansionProblems: ReadonlyMap<string, ShapeProblem>,
  previous?: FlatInference,
): FlatInference {
  const incoming = incomingEdges(edges);
  const { order, left, successors } = topologicalOrder(nodes, edges);
  const nodesById = new Map<string, GraphNode>();
  for (const n of nodes) nodesById.set(n.id, n);
  const flat: FlatInference = {
    results: new Map(),
    order,
    params: new Map(),
    kinds: new Map(),
    nodesById,
    incoming,
    depths: new Map(),
  };
  for (const node of order) {
    const into = incoming.get(node.id);
    const depth = depthOf(into, flat.depths);
    flat.depths.set(node.id, depth);
    const kept =
      previous && !expansionProblems.has(node.id) && earlierResult(node, into, depth, flat, previous);
    if (kept) {
      flat.results.set(node.id, kept);
      if (kept.status === 'ok') {
        flat.params.set(node.id, previous.params.get(node.id));
        flat.kinds.set(node.id, previous.kinds.get(node.id)!);
      }
      continue;
    }
    const result = inferNode(node, into, flat, expansionProblems);
    flat.results.set(node.id, withinMachineLimits(node.id, result, flat.kinds.get(node.id), depth));
  }
  const onCycle = nodesOnCycles(left, successors);
  for (const n of left) {
    flat.results.set(
      n.id,
      onCycle.has(n.id)
        ? error(n.id, {
            code: 'cycle',
            message: 'This layer is part of a cycle. Remove one of the edges that loops back to break it.',
          })
        : { status: 'blocked' },
    );
  }
  return flat;
}

/**
 * The inference after an edit that replaced some layers and left the graph's structure as it was (see
 * replacedLayers): order, edges and depths are the earlier ones, and only the replaced layers whose type or
 * parameters changed, and what lies downstream of them, are inferred again. Results of cycles depend on the
 * structure alone, so they are kept too.
 */
export function reinferFlat(
  before: FlatInference,
  replaced: ReadonlyMap<string, GraphNode>,
  expansionProblems: ReadonlyMap<string, ShapeProblem>,
): FlatInference {
  const { results, params, kinds, incoming, depths } = before;
  if (replaced.size === 0)
    return { results, order: before.order, params, kinds, nodesById: before.nodesById, incoming, depths };
  const nodesById = new Map(before.nodesById);
  const changed = new Set<string>();
  for (const [id, node] of replaced) {
    const was = nodesById.get(id);
    if (!was) continue; // a block instance that expanded: its layers are not replaced
    nodesById.set(id, node);
    if (was.type !== node.type || was.params !== node.params) changed.add(id);
  }
  const order = before.order.map((n) => replaced.get(n.id) ?? n);
  // Only the fields of an inference: `before` may carry its flat graph too, which is not this one.
  if (changed.size === 0) return { results, order, params, kinds, nodesById, incoming, depths };
  const flat: FlatInference = {
    results: new Map(results),
    order,
    params: new Map(params),
    kinds: new Map(kinds),
    nodesById,
    incoming,
    depths,
  };
  for (const node of order) {
    const into = flat.incoming.get(node.id);
    if (!changed.has(node.id) && !into?.some((e) => changed.has(e.source))) continue;
    changed.add(node.id);
    flat.params.delete(node.id);
    flat.kinds.delete(node.id);
    const result = inferNode(node, into, flat, expansionProblems);
    const depth = flat.depths.get(node.id)!;
    flat.results.set(node.id, withinMachineLimits(node.id, result, flat.kinds.get(node.id), depth));
  }
  return flat;
}

/** Layers along the longest path to a node, from its sources' depths (set before it, in topological order). */
function depthOf(into: readonly GraphEdge[] | undefined, depths: ReadonlyMap<string, number>): number {
  let deepest = 0;
  for (const e of into ?? []) deepest = Math.max(deepest, depths.get(e.source) ?? 0);
  return deepest + 1;
}

/**
 * The earlier result of a layer when nothing that decides it has changed: its type and parameters (the same
 * object: edits replace it), its depth, and each edge into it, whose source's result is the earlier one.
 */
function earlierResult(
  node: GraphNode,
  into: readonly GraphEdge[] | undefined,
  depth: number,
  now: FlatInference,
  before: FlatInference,
): LayerInference | undefined {
  const was = before.nodesById.get(node.id);
  // A block type among layers is an instance that could not expand: its problem is decided elsewhere.
  if (!was || was.type !== node.type || was.params !== node.params || node.type.startsWith('block:')) return;
  if (before.depths.get(node.id) !== depth) return;
  const wasInto = before.incoming.get(node.id);
  if ((into?.length ?? 0) !== (wasInto?.length ?? 0)) return;
  for (let i = 0; i < (into?.length ?? 0); i++) {
    const e = into![i]!;
    const w = wasInto![i]!;
    if (e.source !== w.source || e.sourceHandle !== w.sourceHandle || e.targetHandle !== w.targetHandle)
      return;
    if (now.results.get(e.source) !== before.results.get(e.source)) return;
  }
  return before.results.get(node.id);
}

/**
 * Why an edge's source cannot feed anything: a layer that does not exist (a block's output wired to a
 * layer it lacks) or an output port the source does not have. Layers have one output, "out"; a block's
 * ports were resolved to its layers' when it was expanded, so an unresolved one names no layer at all.
 */
function danglingSource(edge: GraphEdge, known: ReadonlyMap<string, GraphNode>): string | null {
  if (!known.has(edge.source))
    return `The edge into this input comes from "${edge.source}", output "${edge.sourceHandle}", which does not exist. Delete the edge and connect an existing output.`;
  if (edge.sourceHandle !== 'out')
    return `The edge into this input leaves "${edge.source}" from "${edge.sourceHandle}", which is not an output (layers have one, "out"). Reconnect it from the output.`;
  return null;
}

/** A layer a machine cannot hold or tfjs cannot build is an error, before anything is allocated. */
function withinMachineLimits(
  id: string,
  result: LayerInference,
  kind: LayerKind | undefined,
  depth: number,
): LayerInference {
  if (result.status !== 'ok' || !kind) return result;
  const tooMuch = machineLimitProblem(kind.title, result.params, elementCount(result.shape), depth);
  return tooMuch ? error(id, tooMuch) : result;
}

/** The edges into a layer by input port, in the graph's order. */
function byPort(into: readonly GraphEdge[]): Map<string, GraphEdge[]> {
  const ports = new Map<string, GraphEdge[]>();
  for (const e of into) {
    const list = ports.get(e.targetHandle);
    if (list) list.push(e);
    else ports.set(e.targetHandle, [e]);
  }
  return ports;
}

function inferNode(
  node: GraphNode,
  into: readonly GraphEdge[] | undefined,
  flat: FlatInference,
  expansionProblems: ReadonlyMap<string, ShapeProblem>,
): LayerInference {
  const expansion = expansionProblems.get(node.id);
  if (expansion) return error(node.id, expansion);
  const kind = layerKind(node.type);
  if (!kind)
    return error(node.id, {
      code: 'unknownType',
      message: `Unknown layer type "${node.type}". Delete this node or replace it with a known layer.`,
    });
  const parsed = parseParams(kind, node.params);
  if (!parsed.ok) return error(node.id, parsed.problem);
  const portNames = kind.inputs(parsed.value);
  const stray = into?.find((e) => !portNames.includes(e.targetHandle));
  if (stray) {
    return error(node.id, {
      code: 'unknownPort',
      port: stray.targetHandle,
      message: `${kind.title} has no input "${stray.targetHandle}" (it has ${portNames.join(', ') || 'none'}). Reconnect that edge.`,
    });
  }
  // One edge into one port is most layers: no grouping needed.
  const ports = into && into.length > 1 ? byPort(into) : null;
  const inputs: Shape[] = [];
  let blocked = false;
  for (const port of portNames) {
    const feeding = ports ? ports.get(port) : into?.[0]?.targetHandle === port ? into : undefined;
    if (!feeding || feeding.length === 0) {
      return error(node.id, {
        code: 'missingInput',
        port,
        message: `Input "${port}" of ${kind.title} is not connected. Drag an edge from the previous layer's output to it.`,
      });
    }
    if (feeding.length > 1) {
      return error(node.id, {
        code: 'extraInput',
        port,
        message: `Input "${port}" of ${kind.title} has ${feeding.length} edges; keep one (use Concat or Add to merge).`,
      });
    }
    const edge = feeding[0]!;
    const dangling = danglingSource(edge, flat.nodesById);
    if (dangling) return error(node.id, { code: 'unknownPort', port, message: dangling });
    const src = flat.results.get(edge.source);
    if (src?.status === 'ok') inputs.push(src.shape);
    else blocked = true;
  }
  if (blocked) return { status: 'blocked' };
  const rule = kind.infer(inputs, parsed.value);
  if (!rule.ok) return error(node.id, rule.problem);
  flat.params.set(node.id, parsed.value);
  flat.kinds.set(node.id, kind);
  const shape = rule.shape;
  return {
    status: 'ok',
    shape,
    inputShapes: inputs,
    params: kind.count?.(inputs, parsed.value) ?? { trainable: 0, nonTrainable: 0 },
    flops: kind.flops(inputs, shape, parsed.value),
    memoryBytes: kind.memory?.(shape) ?? 4 * elementCount(shape),
  };
}
