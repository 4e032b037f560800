import ELK from 'elkjs/lib/elk.bundled.js';
import type { GraphCommand } from './commands.ts';
import type { Graph, Position } from './document.ts';

/** Room a node takes on the canvas, for the layout (nodes show a title, a summary, a shape and stats). */
const NODE = { width: 240, height: 100 };

const elk = new ELK();

/** Layers per column: a long network wraps into columns, like text into lines, instead of one tall strip. */
export const ROWS_PER_COLUMN = 5;
const COLUMN_GAP = 120;

type Placed = { id: string; position: Position };

/**
 * Wraps a top-down layout into columns of `ROWS_PER_COLUMN` layers, left to right, so a 25-layer VGG
 * opens readable instead of as a strip that only fits the screen at a quarter of its size.
 */
export function wrapIntoColumns(placed: readonly Placed[]): Placed[] {
  const rows = [...new Set(placed.map((p) => p.position.y))].sort((a, b) => a - b);
  if (rows.length <= ROWS_PER_COLUMN) return [...placed];
  const xs = placed.map((p) => p.position.x);
  const columnWidth = Math.max(...xs) - Math.min(...xs) + NODE.width + COLUMN_GAP;
  const rowOf = new Map(rows.map((y, i) => [y, i]));
  return placed.map(({ id, position }) => {
    const row = rowOf.get(position.y)!;
    const column = Math.floor(row / ROWS_PER_COLUMN);
    return {
      id,
      position: { x: position.x + column * columnWidth, y: rows[row % ROWS_PER_COLUMN]! },
    };
  });
}

/** A top-down layered layout of the graph (elkjs), wrapped into columns, as one undoable move of every node. */
export async function tidyLayout(graph: Graph): Promise<GraphCommand> {
  const laid = await elk.layout({
    id: 'graph',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '50',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: graph.nodes.map((n) => ({ id: n.id, ...NODE })),
    edges: graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const placed = (laid.children ?? []).map((c) => ({ id: c.id, position: { x: c.x ?? 0, y: c.y ?? 0 } }));
  return { kind: 'moveNodes', moves: wrapIntoColumns(placed) };
}
