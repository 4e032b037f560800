import { nodePorts } from '../blocks/node-ports.ts';
import type { Graph, GraphEdge, GraphNode } from '../graph/document.ts';

/** The most times one node may stand in series (a sweep's `repeat`). */
export const MAX_REPEAT = 16;

/** How far each copy stands to the right of the one before, so copies do not hide each other. */
const COPY_OFFSET_X = 280;

/** Whether a node can stand repeated in series: one input port fed by one wire, and one output port. */
export function repeatable(graph: Graph, nodeId: string): boolean {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return false;
  const ports = nodePorts(node, graph.blocks);
  const fed = graph.edges.filter((e) => e.target === nodeId).length;
  return ports.inputs.length === 1 && ports.outputs.length === 1 && fed === 1;
}

/** Node ids not yet in the graph, made from a base ("vgg3_2", "vgg3_3", …), their "-in" edge ids free too. */
function freshIds(graph: Graph, base: string, count: number): string[] {
  const taken = new Set([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id)]);
  const ids: string[] = [];
  for (let n = 2; ids.length < count; n++)
    if (!taken.has(`${base}_${n}`) && !taken.has(`${base}_${n}-in`)) ids.push(`${base}_${n}`);
  return ids;
}

/**
 * The graph with a repeatable node standing `times` times in series: its copies follow it, each fed by the
 * one before, and the last feeds what the node fed. With 0 the node is taken out and its input wired straight
 * to what it fed. Shapes are not checked here: a count that breaks them shows at the node, like any edit.
 */
export function repeatInSeries(graph: Graph, nodeId: string, times: number): Graph {
  const node = graph.nodes.find((n) => n.id === nodeId)!;
  const incoming = graph.edges.find((e) => e.target === nodeId)!;
  if (times === 0)
    return {
      ...graph,
      nodes: graph.nodes.filter((n) => n.id !== nodeId),
      edges: graph.edges
        .filter((e) => e !== incoming)
        .map((e) =>
          e.source === nodeId ? { ...e, source: incoming.source, sourceHandle: incoming.sourceHandle } : e,
        ),
    };
  const copies: GraphNode[] = freshIds(graph, nodeId, times - 1).map((id, i) => ({
    ...node,
    id,
    position: { x: node.position.x + COPY_OFFSET_X * (i + 1), y: node.position.y },
  }));
  const chain = [node, ...copies];
  const out = nodePorts(node, graph.blocks).outputs[0]!;
  const links: GraphEdge[] = copies.map((copy, i) => ({
    id: `${copy.id}-in`,
    source: chain[i]!.id,
    sourceHandle: out,
    target: copy.id,
    targetHandle: incoming.targetHandle,
  }));
  const last = chain[chain.length - 1]!.id;
  return {
    ...graph,
    nodes: [...graph.nodes, ...copies],
    edges: [...graph.edges.map((e) => (e.source === nodeId ? { ...e, source: last } : e)), ...links],
  };
}
