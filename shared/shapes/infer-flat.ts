import type { GraphEdge, GraphNode } from '../graph/document.ts';
import { layerKind } from '../layers/registry.ts';
import type { LayerKind, ParamCount, ShapeProblem } from '../layers/kind.ts';
import { formatPath } from '../graph/file-format.ts';
import { elementCount, type Shape } from './shape.ts';
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
  const r = kind.params.safeParse(params);
  const parsed: Parsed = r.success
    ? { ok: true, value: r.data }
    : { ok: false, problem: { code: 'badParams', message: describeIssue(kind, r.error.issues[0]!) } };
  parsedParams.set(params, { kind, parsed });
  return parsed;
}

function describeIssue(kind: LayerKind, issue: { path: PropertyKey[]; message: string }): string {
  const field = formatPath(issue.path);
  return `${kind.title} parameter ${field || '(all)'}: ${issue.message}. Correct it in the inspector.`;
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

/** Nodes that lie on a cycle: those among the leftovers that can reach themselves. */
function nodesOnCycles(left: readonly GraphNode[], next: Map<string, string[]>): Set<string> {
  const pending = new Set(left.map((n) => n.id));
  const onCycle = new Set<string>();
  for (const n of left) {
    const seen = new Set<string>();
    const stack = [...(next.get(n.id) ?? [])];
    while (stack.length) {
      const id = stack.pop()!;
      if (id === n.id) {
        onCycle.add(n.id);
        break;
      }
      if (seen.has(id) || !pending.has(id)) continue;
      seen.add(id);
      stack.push(...(next.get(id) ?? []));
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
  const results = new Map<string, LayerInference>();
  const params = new Map<string, unknown>();
  const kinds = new Map<string, LayerKind>();
  for (const node of order) {
    results.set(node.id, inferNode(node, incoming.get(node.id), results, expansionProblems, params, kinds));
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

function inferNode(
  node: GraphNode,
  ports: Map<string, GraphEdge[]> | undefined,
  results: ReadonlyMap<string, LayerInference>,
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
    const src = results.get(feeding[0]!.source);
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
