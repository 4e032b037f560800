import { freshId, type GraphCommand } from './commands.ts';
import type { Graph, GraphEdge, GraphNode } from './document.ts';

/** What a copy holds: the nodes and the edges among them (edges to the outside are left behind). */
export interface Clip {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function copyNodes(graph: Graph, ids: readonly string[]): Clip {
  const inside = new Set(ids);
  return {
    nodes: graph.nodes.filter((n) => inside.has(n.id)),
    edges: graph.edges.filter((e) => inside.has(e.source) && inside.has(e.target)),
  };
}

/** Adds a copy of the clip with fresh ids, moved by `offset`; returns the command and the new node ids. */
export function pasteNodes(
  graph: Graph,
  clip: Clip,
  offset = { x: 40, y: 40 },
): { command: GraphCommand; ids: string[] } {
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  const edgeIds = new Set(graph.edges.map((e) => e.id));
  const rename = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = freshId(nodeIds, n.id.replace(/\d+$/, '') || 'n');
    nodeIds.add(id);
    rename.set(n.id, id);
    return { ...n, id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  const edges = clip.edges.map((e) => {
    const id = freshId(edgeIds, 'e');
    edgeIds.add(id);
    return { ...e, id, source: rename.get(e.source)!, target: rename.get(e.target)! };
  });
  return { command: { kind: 'addNodes', nodes, edges }, ids: nodes.map((n) => n.id) };
}
