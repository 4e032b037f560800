import { escapeXml } from './xml-text.ts';
import { nodePorts, nodeTitle, paramSummary } from '../blocks/node-ports.ts';
import type { Graph, GraphNode } from '../graph/document.ts';
import { formatBytes, formatCount, formatFlops } from '../shapes/quantity-format.ts';
import type { GraphInference } from '../shapes/infer-shapes.ts';
import { formatShape, type ShapeOrder } from '../shape.ts';

/**
 * The graph as a plain vector drawing: one box per node (title, parameters, output shape, counts) and one
 * curve per edge labelled with its tensor shape. Plain SVG text and shapes, so it opens in any viewer or
 * editor, and the UI turns the same drawing into a PNG.
 */
export interface Diagram {
  svg: string;
  width: number;
  height: number;
}

const LINE = 16;
const PAD = 32;
const CHAR = 6.6;

interface Box {
  node: GraphNode;
  lines: string[];
  problem: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

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

function layoutBoxes(graph: Graph, inference: GraphInference, order: ShapeOrder): Box[] {
  return graph.nodes.map((node) => {
    const lines = nodeLines(graph, inference, node, order);
    const longest = Math.max(...lines.map((l) => l.length));
    return {
      node,
      lines,
      problem: inference.nodes.get(node.id)?.status === 'error',
      x: node.position.x,
      y: node.position.y,
      width: Math.min(420, Math.max(160, Math.ceil(longest * CHAR) + 24)),
      height: lines.length * LINE + 14,
    };
  });
}

/** Where port `name` sits on a box edge: spread evenly, as on the canvas. */
function portX(box: Box, ports: readonly string[], name: string): number {
  const i = Math.max(0, ports.indexOf(name));
  return box.x + ((i + 1) * box.width) / (ports.length + 1);
}

export function diagramSvg(graph: Graph, inference: GraphInference, order: ShapeOrder = 'CHW'): Diagram {
  const boxes = layoutBoxes(graph, inference, order);
  const byId = new Map(boxes.map((b) => [b.node.id, b]));
  // The drawing's own bounds: a graph drawn far from the origin gets no margin out to it.
  const bounds = boxes.length ? boxes : [{ x: 0, y: 0, width: 0, height: 0 }];
  const minX = Math.min(...bounds.map((b) => b.x)) - PAD;
  const minY = Math.min(...bounds.map((b) => b.y)) - PAD;
  const width = Math.ceil(Math.max(...bounds.map((b) => b.x + b.width)) + PAD - minX);
  const height = Math.ceil(Math.max(...bounds.map((b) => b.y + b.height)) + PAD - minY);
  const edges = graph.edges.flatMap((e) => {
    const from = byId.get(e.source);
    const to = byId.get(e.target);
    if (!from || !to) return [];
    const sx = portX(from, nodePorts(from.node, graph.blocks).outputs, e.sourceHandle);
    const sy = from.y + from.height;
    const tx = portX(to, nodePorts(to.node, graph.blocks).inputs, e.targetHandle);
    const ty = to.y;
    const bend = Math.max(30, Math.abs(ty - sy) / 2);
    const shape = inference.edges.get(e.id);
    const label = shape
      ? `<text class="edge-label" x="${(sx + tx) / 2 + 4}" y="${(sy + ty) / 2}">${formatShape(shape, order)}</text>`
      : '';
    return [
      `<path class="edge" d="M${sx},${sy} C${sx},${sy + bend} ${tx},${ty - bend} ${tx},${ty}"/>${label}`,
    ];
  });
  const nodes = boxes.map((b) => {
    const text = b.lines
      .map(
        (l, i) =>
          `<text x="${b.x + 12}" y="${b.y + 20 + i * LINE}"${i === 0 ? ' class="title"' : ''}>${escapeXml(l)}</text>`,
      )
      .join('');
    const cls = b.problem ? 'node problem' : 'node';
    return `<g><rect class="${cls}" x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6"/>${text}</g>`;
  });
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${minX} ${minY} ${width} ${height}">`,
    '<style>text{font:12px sans-serif;fill:#1d2330}.title{font-weight:bold}.edge{fill:none;stroke:#7a859c;stroke-width:1.5}',
    '.edge-label{font-size:11px;fill:#55627a}.node{fill:#fff;stroke:#8d99b3}.node.problem{stroke:#c62828;stroke-width:2}</style>',
    `<rect x="${minX}" y="${minY}" width="${width}" height="${height}" fill="#fff"/>`,
    ...edges,
    ...nodes,
    '</svg>',
  ].join('\n');
  return { svg, width, height };
}
