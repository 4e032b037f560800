import { inferShapes, type GraphInference } from '../shapes/infer-shapes.ts';
import { applyCommand, freshId } from '../graph/commands.ts';
import type { Graph, GraphEdge } from '../graph/document.ts';

export interface Connection {
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

/** The edge a new connection becomes. */
export function connectionEdge(graph: Graph, c: Connection): GraphEdge {
  return { id: freshId(new Set(graph.edges.map((e) => e.id)), 'e'), ...c };
}

function reaches(graph: Graph, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const stack = [from];
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}

/**
 * Why a connection must not be made, or null when it may: it would close a cycle, fill a port that already
 * has an edge, or give the target (or its block) a shape problem it does not have now.
 */
export function connectionProblem(
  graph: Graph,
  c: Connection,
  before: GraphInference = inferShapes(graph),
  infer: (edited: Graph) => GraphInference = inferShapes,
): string | null {
  if (c.source === c.target) return 'A layer cannot feed itself.';
  if (reaches(graph, c.target, c.source)) return 'This edge would close a cycle.';
  if (graph.edges.some((e) => e.target === c.target && e.targetHandle === c.targetHandle)) {
    return `Input "${c.targetHandle}" is already connected; remove that edge first, or merge with Concat or Add.`;
  }
  const after = infer(applyCommand(graph, { kind: 'addEdges', edges: [connectionEdge(graph, c)] }).graph);
  const had = new Set(before.diagnostics.filter((d) => d.nodeId === c.target).map((d) => d.message));
  const fresh = after.diagnostics.find(
    (d) =>
      d.nodeId === c.target && d.severity === 'error' && d.code !== 'missingInput' && !had.has(d.message),
  );
  return fresh ? fresh.message : null;
}
