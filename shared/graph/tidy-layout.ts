import ELK from 'elkjs/lib/elk.bundled.js';
import type { GraphCommand } from './commands.ts';
import type { Graph } from './document.ts';

/** Room a node takes on the canvas, for the layout (nodes show a title, a summary, a shape and stats). */
const NODE = { width: 240, height: 100 };

const elk = new ELK();

/** A top-down layered layout of the graph (elkjs), as one undoable move of every node. */
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
  return {
    kind: 'moveNodes',
    moves: (laid.children ?? []).map((c) => ({ id: c.id, position: { x: c.x ?? 0, y: c.y ?? 0 } })),
  };
}
