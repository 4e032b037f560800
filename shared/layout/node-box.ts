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

/** A line of a node, in the type the canvas sets it in: a bold title, small parameters, a bold shape, smaller counts. */
export interface NodeLine {
  kind: 'title' | 'summary' | 'shape' | 'stats';
  text: string;
}

/** What a node shows, line by line, and the box that holds it (the canvas's node and the diagram's alike). */
export interface NodeBox extends Size {
  lines: NodeLine[];
}

/** A line's height, and an average character's width in each line's type (12 px bold, 11 px, 12 px mono, 10 px). */
export const LINE = 16;
const CHAR: Record<NodeLine['kind'], number> = { title: 7.2, summary: 5.6, shape: 7.3, stats: 5.6 };

/** The lines a node shows: its title, parameters, output shape and counts. */
function nodeLines(graph: Graph, inference: GraphInference, node: GraphNode, order: ShapeOrder): NodeLine[] {
  const r = inference.nodes.get(node.id);
  const title = nodeTitle(node, graph.blocks);
  const lines: NodeLine[] = [
    { kind: 'title', text: title === node.type ? title : `${title} (${node.type})` },
  ];
  const summary = paramSummary(node);
  if (summary) lines.push({ kind: 'summary', text: summary });
  if (r?.status === 'ok') {
    const shape = [...r.outputs.values()].map((s) => formatShape(s, order)).join(', ');
    const params = formatCount(r.params.trainable + r.params.nonTrainable);
    lines.push({ kind: 'shape', text: shape });
    lines.push({
      kind: 'stats',
      text: `${params} params · ${formatFlops(r.flops)} FLOPs · ${formatBytes(r.memoryBytes)}`,
    });
  } else lines.push({ kind: 'shape', text: r?.status === 'error' ? '⚠ problem' : '…' });
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
      const longest = Math.max(...lines.map((l) => l.text.length * CHAR[l.kind]));
      const width = Math.min(420, Math.max(180, Math.ceil(longest) + 24));
      return [node.id, { lines, width, height: lines.length * LINE + 14 }];
    }),
  );
}
