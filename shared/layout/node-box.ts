import { nodeTitle, paramSummary } from '../blocks/node-ports.ts';
import type { Graph, GraphNode } from '../graph/document.ts';
import type { GraphInference } from '../shapes/infer-shapes.ts';
import { formatBytes, formatCount, formatFlops } from '../shapes/quantity-format.ts';
import { formatShape, type ShapeOrder } from '../shape.ts';

/** The room a node takes, in canvas units. */
export interface Size {
  width: number;
  height: number;
}

/** What a node shows, line by line, and the box that holds it (the canvas's node and the diagram's alike). */
export interface NodeBox extends Size {
  lines: string[];
}

/** A line's height and an average character's width at the node's 12 px type. */
export const LINE = 16;
const CHAR = 6.6;

/** The lines a node shows: its title, parameters, output shape and counts. */
function nodeLines(graph: Graph, inference: GraphInference, node: GraphNode, order: ShapeOrder): string[] {
  const r = inference.nodes.get(node.id);
  const title = nodeTitle(node, graph.blocks);
  const lines = [title === node.type ? title : `${title} (${node.type})`];
  const summary = paramSummary(node);
  if (summary) lines.push(summary);
  if (r?.status === 'ok') {
    lines.push([...r.outputs.values()].map((s) => formatShape(s, order)).join(', '));
    const params = formatCount(r.params.trainable + r.params.nonTrainable);
    lines.push(`${params} params · ${formatFlops(r.flops)} FLOPs · ${formatBytes(r.memoryBytes)}`);
  } else lines.push(r?.status === 'error' ? '⚠ problem' : '…');
  return lines;
}

/** Each node's lines and box, by id: what the layout makes room for and the diagram draws. */
export function nodeBoxes(
  graph: Graph,
  inference: GraphInference,
  order: ShapeOrder = 'CHW',
): Map<string, NodeBox> {
  return new Map(
    graph.nodes.map((node) => {
      const lines = nodeLines(graph, inference, node, order);
      const longest = Math.max(...lines.map((l) => l.length));
      const width = Math.min(420, Math.max(180, Math.ceil(longest * CHAR) + 24));
      return [node.id, { lines, width, height: lines.length * LINE + 14 }];
    }),
  );
}
