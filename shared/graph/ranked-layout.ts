import type { GraphEdge, GraphNode, Position } from './document.ts';

const ROW = 130;
/** Wide enough for a node of long parameters (a Conv2D with stride, padding and bias takes about 320). */
const COLUMN = 340;

/**
 * Each node's depth: one past its deepest input (the longest path from a node with none). A cycle, a
 * problem shown elsewhere, only stops the walk.
 */
export function longestPathDepths(
  ids: readonly string[],
  inputs: ReadonlyMap<string, readonly string[]>,
): Map<string, number> {
  const depth = new Map<string, number>();
  const depthOf = (id: string, visiting: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const d = Math.max(-1, ...(inputs.get(id) ?? []).map((s) => depthOf(s, visiting))) + 1;
    depth.set(id, d);
    return d;
  };
  for (const id of ids) depthOf(id, new Set());
  return depth;
}

/**
 * Positions by depth: each node one row below its deepest input, side by side within a row. Synchronous and
 * cheap, for generated graphs (the inside of a built-in block) that are shown at once and never saved.
 */
export function rankedPositions(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
): Map<string, Position> {
  const inputs = new Map<string, string[]>();
  for (const e of edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), e.source]);
  const depth = longestPathDepths(
    nodes.map((n) => n.id),
    inputs,
  );
  const rows = new Map<number, string[]>();
  for (const n of nodes) {
    const d = depth.get(n.id)!;
    rows.set(d, [...(rows.get(d) ?? []), n.id]);
  }
  const positions = new Map<string, Position>();
  for (const [d, ids] of rows)
    ids.forEach((id, i) => positions.set(id, { x: (i - (ids.length - 1) / 2) * COLUMN, y: d * ROW }));
  return positions;
}
