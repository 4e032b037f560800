import { escapeXml } from './xml-text.ts';
import { nodePorts } from '../blocks/node-ports.ts';
import type { Graph, GraphNode, Position } from '../graph/document.ts';
import type { GraphInference } from '../shapes/infer-shapes.ts';
import { LINE, nodeBoxes, type NodeBox } from '../layout/node-box.ts';
import { portSides, type Side } from '../layout/port-sides.ts';
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

const PAD = 32;
/** How far a wire leaves its port straight out before it bends: the canvas's curves bend alike. */
const BEND = 40;
const LABEL_CHAR = 6.2;

interface Box extends NodeBox, Position {
  node: GraphNode;
  problem: boolean;
}

/** An extent of the drawing: what the frame must hold. */
type Extent = { left: number; top: number; right: number; bottom: number };

const outward: Record<Side, Position> = {
  top: { x: 0, y: -1 },
  bottom: { x: 0, y: 1 },
  left: { x: -1, y: 0 },
  right: { x: 1, y: 0 },
};

/** Where port `name` sits on a side of a box: spread evenly along it, as on the canvas. */
function portAt(box: Box, side: Side, ports: readonly string[], name: string): Position {
  const share = (Math.max(0, ports.indexOf(name)) + 1) / (ports.length + 1);
  if (side === 'top' || side === 'bottom')
    return { x: box.x + share * box.width, y: side === 'top' ? box.y : box.y + box.height };
  return { x: side === 'left' ? box.x : box.x + box.width, y: box.y + share * box.height };
}

interface Wire {
  path: string;
  label: string | null;
  mid: Position;
  /** The curve lies within its control points: the frame takes them in, so no wire is cut off. */
  extent: Extent;
}

function wireOf(
  graph: Graph,
  from: Box,
  to: Box,
  sides: { out: Side; in: Side },
  edge: Graph['edges'][number],
) {
  const a = portAt(from, sides.out, nodePorts(from.node, graph.blocks).outputs, edge.sourceHandle);
  const d = portAt(to, sides.in, nodePorts(to.node, graph.blocks).inputs, edge.targetHandle);
  const reach = Math.max(BEND, Math.hypot(d.x - a.x, d.y - a.y) / 3);
  const b = { x: a.x + outward[sides.out].x * reach, y: a.y + outward[sides.out].y * reach };
  const c = { x: d.x + outward[sides.in].x * reach, y: d.y + outward[sides.in].y * reach };
  const points = [a, b, c, d];
  return {
    path: `M${a.x},${a.y} C${b.x},${b.y} ${c.x},${c.y} ${d.x},${d.y}`,
    mid: { x: (a.x + 3 * b.x + 3 * c.x + d.x) / 8, y: (a.y + 3 * b.y + 3 * c.y + d.y) / 8 },
    extent: {
      left: Math.min(...points.map((p) => p.x)),
      right: Math.max(...points.map((p) => p.x)),
      top: Math.min(...points.map((p) => p.y)),
      bottom: Math.max(...points.map((p) => p.y)),
    },
  };
}

function wires(graph: Graph, inference: GraphInference, boxes: Map<string, Box>, order: ShapeOrder): Wire[] {
  const sides = portSides(graph, (id) => boxes.get(id)!);
  return graph.edges.flatMap((e) => {
    const [from, to] = [boxes.get(e.source), boxes.get(e.target)];
    if (!from || !to) return [];
    const wire = wireOf(
      graph,
      from,
      to,
      { out: sides.get(e.source)!.outputs, in: sides.get(e.target)!.inputs },
      e,
    );
    const shape = inference.edges.get(e.id);
    const label = shape ? formatShape(shape, order) : null;
    const half = label ? (label.length * LABEL_CHAR) / 2 : 0;
    const { mid, extent } = wire;
    return [
      {
        ...wire,
        label,
        extent: {
          left: Math.min(extent.left, mid.x - half),
          right: Math.max(extent.right, mid.x + half),
          top: Math.min(extent.top, mid.y - LINE),
          bottom: Math.max(extent.bottom, mid.y + LINE / 2),
        },
      },
    ];
  });
}

function frameOf(boxes: readonly Box[], drawn: readonly Wire[]): Extent {
  const extents = [
    ...boxes.map((b) => ({ left: b.x, top: b.y, right: b.x + b.width, bottom: b.y + b.height })),
    ...drawn.map((w) => w.extent),
  ];
  if (extents.length === 0) return { left: -PAD, top: -PAD, right: PAD, bottom: PAD };
  return {
    left: Math.floor(Math.min(...extents.map((e) => e.left)) - PAD),
    top: Math.floor(Math.min(...extents.map((e) => e.top)) - PAD),
    right: Math.ceil(Math.max(...extents.map((e) => e.right)) + PAD),
    bottom: Math.ceil(Math.max(...extents.map((e) => e.bottom)) + PAD),
  };
}

export function diagramSvg(graph: Graph, inference: GraphInference, order: ShapeOrder = 'CHW'): Diagram {
  const sized = nodeBoxes(graph, inference, order);
  const boxes = new Map(
    graph.nodes.map((node) => [
      node.id,
      {
        ...sized.get(node.id)!,
        ...node.position,
        node,
        problem: inference.nodes.get(node.id)?.status === 'error',
      },
    ]),
  );
  const drawn = wires(graph, inference, boxes, order);
  // The drawing's own bounds, wires and their labels included: a graph drawn far from the origin gets no
  // margin out to it, and a wire bending out past the boxes is not cut off.
  const frame = frameOf([...boxes.values()], drawn);
  const [width, height] = [frame.right - frame.left, frame.bottom - frame.top];
  const edges = drawn.map(
    (w) =>
      `<path class="edge" d="${w.path}"/>` +
      (w.label
        ? `<text class="edge-label" x="${w.mid.x}" y="${w.mid.y + 4}">${escapeXml(w.label)}</text>`
        : ''),
  );
  const nodes = [...boxes.values()].map((b) => {
    const text = b.lines
      .map(
        (l, i) =>
          `<text x="${b.x + 12}" y="${b.y + 20 + i * LINE}" class="${l.kind}">${escapeXml(l.text)}</text>`,
      )
      .join('');
    const cls = b.problem ? 'node problem' : 'node';
    return `<g><rect class="${cls}" x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6"/>${text}</g>`;
  });
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${frame.left} ${frame.top} ${width} ${height}">`,
    '<style>text{font:12px sans-serif;fill:#1d2330}.title{font-weight:bold}.summary{font-size:11px;fill:#6b7385}',
    '.shape{font:bold 12px monospace}.stats{font-size:10px;fill:#6b7385}.edge{fill:none;stroke:#7a859c;stroke-width:1.5}',
    '.edge-label{font-size:11px;fill:#55627a;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:4px}',
    '.node{fill:#fff;stroke:#8d99b3}.node.problem{stroke:#c62828;stroke-width:2}</style>',
    `<rect x="${frame.left}" y="${frame.top}" width="${width}" height="${height}" fill="#fff"/>`,
    ...edges,
    ...nodes,
    '</svg>',
  ].join('\n');
  return { svg, width, height };
}
