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

/** Kahn's algorithm; returns the order and the nodes it could not place (on or after a cycle). */
function topologicalOrder(nodes: readonly GraphNode[], edges: readonly GraphEdge[]) {
  const indegree = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const n of nodes) indegree.set(n.id, 0);
  for (const e of edges) {
    if (!indegree.has(e.source) || !indegree.has(e.target)) continue;
    indegree.set(e.target, indegree.get(e.target)! + 1);
    const list = next.get(e.source);
    if (list) list.push(e.target);
    else next.set(e.source, [e.target]);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const queue = nodes.filter((n) => indegree.get(n.id) === 0);
  for (let i = 0; i < queue.length; i++) {
    for (const t of next.get(queue[i]!.id) ?? []) {
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) queue.push(byId.get(t)!);
    }
  }
  const left = nodes.filter((n) => indegree.get(n.id)! > 0);
  return { order: queue, left, next };
}

/**
 * Nodes that lie on a cycle: those in a strongly connected component of more than one node, or with an
 * edge to themselves. Tarjan's algorithm, iterative (no recursion to overflow), linear in the leftovers.
 */
function nodesOnCycles(left: readonly GraphNode[], next: Map<string, string[]>): Set<string> {
  const pending = new Set(left.map((n) => n.id));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const onCycle = new Set<string>();
  const successors = (id: string) => (next.get(id) ?? []).filter((t) => pending.has(t));
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

/** Shape propagation over a graph of layers only (blocks already expanded). */
export function inferFlat(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  expansionProblems: ReadonlyMap<string, ShapeProblem>,
): FlatInference {
  const incoming = new Map<string, Map<string, GraphEdge[]>>();
  for (const e of edges) {
    let ports = incoming.get(e.target);
    if (!ports) incoming.set(e.target, (ports = new Map()));
    const list = ports.get(e.targetHandle);
    if (list) list.push(e);
    else ports.set(e.targetHandle, [e]);
  }
  const { order, left, next } = topologicalOrder(nodes, edges);
  const known = new Set(nodes.map((n) => n.id));
  // Layers along the longest path to each node, in topological order.
  const depth = new Map<string, number>();
  const depthOf = (id: string) => {
    let deepest = 0;
    for (const edges of incoming.get(id)?.values() ?? [])
      for (const e of edges) deepest = Math.max(deepest, depth.get(e.source) ?? 0);
    return deepest + 1;
  };
  const results = new Map<string, LayerInference>();
  const params = new Map<string, unknown>();
  const kinds = new Map<string, LayerKind>();
  for (const node of order) {
    depth.set(node.id, depthOf(node.id));
    const result = inferNode(node, incoming.get(node.id), results, known, expansionProblems, params, kinds);
    results.set(node.id, withinMachineLimits(node.id, result, kinds.get(node.id), depth.get(node.id)!));
  }
  const onCycle = nodesOnCycles(left, next);
  for (const n of left) {
    results.set(
      n.id,
      onCycle.has(n.id)
        ? error(n.id, {
            code: 'cycle',
            message: 'This layer is part of a cycle. Remove one of the edges that loops back to break it.',
          })
        : { status: 'blocked' },
    );
  }
  return { results, order, params, kinds };
}

/**
 * Why an edge's source cannot feed anything: a layer that does not exist (a block's output wired to a
 * layer it lacks) or an output port the source does not have. Layers have one output, "out"; a block's
 * ports were resolved to its layers' when it was expanded, so an unresolved one names no layer at all.
 */
function danglingSource(edge: GraphEdge, known: ReadonlySet<string>): string | null {
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

function inferNode(
  node: GraphNode,
  ports: Map<string, GraphEdge[]> | undefined,
  results: ReadonlyMap<string, LayerInference>,
  known: ReadonlySet<string>,
  expansionProblems: ReadonlyMap<string, ShapeProblem>,
  paramsOut: Map<string, unknown>,
  kindsOut: Map<string, LayerKind>,
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
  for (const port of ports?.keys() ?? []) {
    if (!portNames.includes(port)) {
      return error(node.id, {
        code: 'unknownPort',
        port,
        message: `${kind.title} has no input "${port}" (it has ${portNames.join(', ') || 'none'}). Reconnect that edge.`,
      });
    }
  }
  const inputs: Shape[] = [];
  let blocked = false;
  for (const port of portNames) {
    const feeding = ports?.get(port);
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
    const dangling = danglingSource(edge, known);
    if (dangling) return error(node.id, { code: 'unknownPort', port, message: dangling });
    const src = results.get(edge.source);
    if (src?.status === 'ok') inputs.push(src.shape);
    else blocked = true;
  }
  if (blocked) return { status: 'blocked' };
  const rule = kind.infer(inputs, parsed.value);
  if (!rule.ok) return error(node.id, rule.problem);
  paramsOut.set(node.id, parsed.value);
  kindsOut.set(node.id, kind);
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
