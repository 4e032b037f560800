import type { BlockDefinition, Graph, GraphEdge, GraphNode } from '../graph/document.ts';

/** One parameter that differs between two versions of a node. */
export interface ParamChange {
  key: string;
  before: unknown;
  after: unknown;
}

/** What changed from graph A to graph B: nodes (by id), wires, and the user's block definitions. */
export interface GraphDiff {
  added: GraphNode[];
  removed: GraphNode[];
  changed: { id: string; type: [string, string] | null; params: ParamChange[] }[];
  addedEdges: GraphEdge[];
  removedEdges: GraphEdge[];
  blocks: { added: string[]; removed: string[]; changed: string[] };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const wire = (e: GraphEdge) => `${e.source}.${e.sourceHandle}→${e.target}.${e.targetHandle}`;

function paramChanges(a: GraphNode, b: GraphNode): ParamChange[] {
  const keys = [...new Set([...Object.keys(a.params), ...Object.keys(b.params)])].sort();
  return keys
    .filter((key) => !same(a.params[key], b.params[key]))
    .map((key) => ({ key, before: a.params[key], after: b.params[key] }));
}

function blockChanges(a: readonly BlockDefinition[], b: readonly BlockDefinition[]): GraphDiff['blocks'] {
  const before = new Map(a.map((d) => [d.id, d]));
  const after = new Map(b.map((d) => [d.id, d]));
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    changed: [...after.keys()].filter((id) => before.has(id) && !same(before.get(id), after.get(id))),
  };
}

/**
 * The difference between two variants of a design: nodes added, removed and changed (a changed type, or
 * changed parameters, one by one), wires added and removed, and the user's blocks whose definitions differ.
 * Positions and labels are layout, not design: they are not compared.
 */
export function diffGraphs(a: Graph, b: Graph): GraphDiff {
  const before = new Map(a.nodes.map((n) => [n.id, n]));
  const after = new Map(b.nodes.map((n) => [n.id, n]));
  const changed = b.nodes.flatMap((n) => {
    const old = before.get(n.id);
    if (!old) return [];
    const params = paramChanges(old, n);
    const type: [string, string] | null = old.type === n.type ? null : [old.type, n.type];
    return params.length || type ? [{ id: n.id, type, params }] : [];
  });
  const wiresBefore = new Set(a.edges.map(wire));
  const wiresAfter = new Set(b.edges.map(wire));
  return {
    added: b.nodes.filter((n) => !before.has(n.id)),
    removed: a.nodes.filter((n) => !after.has(n.id)),
    changed,
    addedEdges: b.edges.filter((e) => !wiresBefore.has(wire(e))),
    removedEdges: a.edges.filter((e) => !wiresAfter.has(wire(e))),
    blocks: blockChanges(a.blocks, b.blocks),
  };
}
