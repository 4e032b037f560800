import type { BlockDefinition, Graph, GraphEdge, GraphNode, Position } from './document.ts';

/**
 * Every edit to a graph is one of these plain-data commands. Applying one returns the new graph and the
 * command that undoes it, so undo/redo is a stack of inverses and every edit is serializable and testable.
 */
export type GraphCommand =
  | { kind: 'addNodes'; nodes: GraphNode[]; edges: GraphEdge[]; at?: Positions }
  | { kind: 'removeNodes'; ids: string[] }
  | { kind: 'addEdges'; edges: GraphEdge[]; at?: number[] }
  | { kind: 'removeEdges'; ids: string[] }
  | { kind: 'setParams'; id: string; params: Record<string, unknown> }
  | { kind: 'setLabel'; id: string; label: string | undefined }
  | { kind: 'moveNodes'; moves: { id: string; position: Position }[] }
  | { kind: 'putBlock'; block: BlockDefinition }
  | { kind: 'deleteBlock'; id: string }
  | { kind: 'batch'; label?: string; commands: GraphCommand[] };

/** Where removed items stood, so that undo puts them back in the same order (files and layouts stay stable). */
export interface Positions {
  nodes: number[];
  edges: number[];
}

export interface Applied {
  graph: Graph;
  inverse: GraphCommand;
}

/** Thrown for a command that cannot apply to this graph: a bug in the caller, never a user-input path. */
export class GraphCommandError extends Error {}

export function applyCommand(graph: Graph, cmd: GraphCommand): Applied {
  switch (cmd.kind) {
    case 'addNodes':
      return addNodes(graph, cmd.nodes, cmd.edges, cmd.at);
    case 'removeNodes':
      return removeNodes(graph, cmd.ids);
    case 'addEdges':
      return addEdges(graph, cmd.edges, cmd.at);
    case 'removeEdges':
      return removeEdges(graph, cmd.ids);
    case 'setParams':
      return updateNode(graph, cmd.id, (n) => [
        { ...n, params: cmd.params },
        { kind: 'setParams', id: n.id, params: n.params },
      ]);
    case 'setLabel':
      return updateNode(graph, cmd.id, (n) => [
        withLabel(n, cmd.label),
        { kind: 'setLabel', id: n.id, label: n.label },
      ]);
    case 'moveNodes':
      return moveNodes(graph, cmd.moves);
    case 'putBlock':
      return putBlock(graph, cmd.block);
    case 'deleteBlock':
      return deleteBlock(graph, cmd.id);
    case 'batch':
      return applyBatch(graph, cmd);
  }
}

function withLabel(n: GraphNode, label: string | undefined): GraphNode {
  const { label: _old, ...rest } = n;
  return label === undefined ? rest : { ...rest, label };
}

function nodeIndex(graph: Graph, id: string): number {
  const i = graph.nodes.findIndex((n) => n.id === id);
  if (i < 0) throw new GraphCommandError(`no node "${id}"`);
  return i;
}

function updateNode(graph: Graph, id: string, f: (n: GraphNode) => [GraphNode, GraphCommand]): Applied {
  const i = nodeIndex(graph, id);
  const [node, inverse] = f(graph.nodes[i]!);
  const nodes = graph.nodes.slice();
  nodes[i] = node;
  return { graph: { ...graph, nodes }, inverse };
}

/** Appends items, or puts each back at its old index (indices ascending, as `split` records them). */
function insert<T>(list: readonly T[], items: readonly T[], at: readonly number[] | undefined): T[] {
  if (!at) return [...list, ...items];
  const out = list.slice();
  at.forEach((index, i) => out.splice(index, 0, items[i]!));
  return out;
}

/** Splits a list into what stays and what goes, remembering where each removed item stood. */
function split<T>(list: readonly T[], goes: (item: T) => boolean): { kept: T[]; removed: T[]; at: number[] } {
  const kept: T[] = [];
  const removed: T[] = [];
  const at: number[] = [];
  list.forEach((item, i) => {
    if (!goes(item)) kept.push(item);
    else {
      removed.push(item);
      at.push(i);
    }
  });
  return { kept, removed, at };
}

function addNodes(graph: Graph, nodes: GraphNode[], edges: GraphEdge[], at?: Positions): Applied {
  const taken = new Set(graph.nodes.map((n) => n.id));
  for (const n of nodes) {
    if (taken.has(n.id)) throw new GraphCommandError(`node "${n.id}" exists`);
    taken.add(n.id);
  }
  const withNodes = { ...graph, nodes: insert(graph.nodes, nodes, at?.nodes) };
  const { graph: out } = addEdges(withNodes, edges, at?.edges);
  return { graph: out, inverse: { kind: 'removeNodes', ids: nodes.map((n) => n.id) } };
}

function removeNodes(graph: Graph, ids: string[]): Applied {
  const gone = new Set(ids);
  for (const id of ids) nodeIndex(graph, id);
  const nodes = split(graph.nodes, (n) => gone.has(n.id));
  const edges = split(graph.edges, (e) => gone.has(e.source) || gone.has(e.target));
  return {
    graph: { ...graph, nodes: nodes.kept, edges: edges.kept },
    inverse: {
      kind: 'addNodes',
      nodes: nodes.removed,
      edges: edges.removed,
      at: { nodes: nodes.at, edges: edges.at },
    },
  };
}

function addEdges(graph: Graph, edges: GraphEdge[], at?: number[]): Applied {
  const nodes = new Set(graph.nodes.map((n) => n.id));
  const taken = new Set(graph.edges.map((e) => e.id));
  for (const e of edges) {
    if (taken.has(e.id)) throw new GraphCommandError(`edge "${e.id}" exists`);
    if (!nodes.has(e.source) || !nodes.has(e.target))
      throw new GraphCommandError(`edge "${e.id}" joins a missing node`);
    taken.add(e.id);
  }
  return {
    graph: { ...graph, edges: insert(graph.edges, edges, at) },
    inverse: { kind: 'removeEdges', ids: edges.map((e) => e.id) },
  };
}

function removeEdges(graph: Graph, ids: string[]): Applied {
  const gone = new Set(ids);
  const edges = split(graph.edges, (e) => gone.has(e.id));
  if (edges.removed.length !== gone.size) throw new GraphCommandError(`no edge among ${ids.join(', ')}`);
  return {
    graph: { ...graph, edges: edges.kept },
    inverse: { kind: 'addEdges', edges: edges.removed, at: edges.at },
  };
}

function moveNodes(graph: Graph, moves: { id: string; position: Position }[]): Applied {
  const to = new Map(moves.map((m) => [m.id, m.position]));
  const back: { id: string; position: Position }[] = [];
  for (const m of moves) back.push({ id: m.id, position: graph.nodes[nodeIndex(graph, m.id)]!.position });
  const nodes = graph.nodes.map((n) => {
    const position = to.get(n.id);
    return position ? { ...n, position } : n;
  });
  return { graph: { ...graph, nodes }, inverse: { kind: 'moveNodes', moves: back } };
}

function putBlock(graph: Graph, block: BlockDefinition): Applied {
  const i = graph.blocks.findIndex((b) => b.id === block.id);
  const blocks = graph.blocks.slice();
  if (i < 0) blocks.push(block);
  else blocks[i] = block;
  const inverse: GraphCommand =
    i < 0 ? { kind: 'deleteBlock', id: block.id } : { kind: 'putBlock', block: graph.blocks[i]! };
  return { graph: { ...graph, blocks }, inverse };
}

function deleteBlock(graph: Graph, id: string): Applied {
  const old = graph.blocks.find((b) => b.id === id);
  if (!old) throw new GraphCommandError(`no block "${id}"`);
  return {
    graph: { ...graph, blocks: graph.blocks.filter((b) => b.id !== id) },
    inverse: { kind: 'putBlock', block: old },
  };
}

function applyBatch(graph: Graph, cmd: Extract<GraphCommand, { kind: 'batch' }>): Applied {
  const inverses: GraphCommand[] = [];
  let g = graph;
  for (const c of cmd.commands) {
    const applied = applyCommand(g, c);
    g = applied.graph;
    inverses.unshift(applied.inverse);
  }
  const inverse: GraphCommand = { kind: 'batch', commands: inverses };
  return { graph: g, inverse: cmd.label === undefined ? inverse : { ...inverse, label: cmd.label } };
}

/** The smallest "<prefix><n>" not yet used: ids stay short, readable and deterministic. */
export function freshId(taken: ReadonlySet<string>, prefix: string): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}${n}`;
    if (!taken.has(id)) return id;
  }
}
