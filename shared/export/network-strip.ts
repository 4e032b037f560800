import { nodeTitle } from '../blocks/node-ports.ts';
import { blockRef, type Graph, type GraphNode } from '../graph/document.ts';
import type { LayerCategory } from '../layers/kind.ts';
import { layerKind } from '../layers/registry.ts';
import type { GraphInference } from '../shapes/infer-shapes.ts';
import { formatShape, isImage, type Shape } from '../shape.ts';
import type { Diagram } from './diagram-svg.ts';
import { escapeXml } from './xml-text.ts';

/**
 * A network as a small picture: its nodes left to right in the order data flows, one bar each, coloured by
 * kind (a block is one wider bar), as tall as the image is large at that point (a log scale: 224 → 7 reads
 * as the steps VGG takes), vectors as short bars. Branches that run side by side stack in one column. The
 * start screen's template cards show it; hovering a bar names the node and its output.
 */
export type StripKind = LayerCategory | 'block';

export const stripColours: Readonly<Record<StripKind, string>> = {
  io: '#6b7385',
  convolution: '#3b78d8',
  pooling: '#27a08f',
  dense: '#e0852b',
  normalization: '#9a68d0',
  activation: '#d3a81c',
  merge: '#4a9f4a',
  shape: '#aab2c2',
  block: '#1f3f8f',
};

/** The kinds as a legend names them, in the order it lists them. */
export const stripKindLabels: Readonly<Record<StripKind, string>> = {
  block: 'Block',
  convolution: 'Convolution',
  pooling: 'Pooling',
  dense: 'Dense',
  normalization: 'Normalization, dropout',
  activation: 'Activation',
  merge: 'Add, concatenate',
  shape: 'Flatten, padding',
  io: 'Input, output',
};

const TALLEST = 40;
const SHORTEST = 8;
const LAYER_WIDTH = 6;
const BLOCK_WIDTH = 14;
const GAP = 3;

export const stripKind = (node: GraphNode): StripKind =>
  blockRef(node.type) !== null ? 'block' : (layerKind(node.type)?.category ?? 'shape');

/** Each node's column: the longest path to it from a node fed by none (a node in a cycle stays at 0). */
function columns(graph: Graph): Map<string, number> {
  const column = new Map(graph.nodes.map((n) => [n.id, 0]));
  const waiting = new Map(graph.nodes.map((n) => [n.id, 0]));
  const wires = graph.edges.filter((e) => column.has(e.source) && column.has(e.target));
  for (const e of wires) waiting.set(e.target, waiting.get(e.target)! + 1);
  const ready = graph.nodes.filter((n) => waiting.get(n.id) === 0).map((n) => n.id);
  for (let id = ready.shift(); id !== undefined; id = ready.shift())
    for (const e of wires.filter((w) => w.source === id)) {
      column.set(e.target, Math.max(column.get(e.target)!, column.get(id)! + 1));
      waiting.set(e.target, waiting.get(e.target)! - 1);
      if (waiting.get(e.target) === 0) ready.push(e.target);
    }
  return column;
}

/** The bar's height for a node's output: images by their height, vectors by their length, both on a log scale. */
function barHeight(shape: Shape | undefined, largest: { image: number; vector: number }): number {
  if (!shape) return SHORTEST;
  const scale = (n: number, of: number) => Math.log2(Math.max(n, 1)) / Math.log2(Math.max(of, 2));
  const share = isImage(shape) ? scale(shape[1], largest.image) : 0.5 * scale(shape[0] ?? 1, largest.vector);
  return SHORTEST + (TALLEST - SHORTEST) * Math.min(1, share);
}

const firstOutput = (inference: GraphInference, id: string): Shape | undefined => {
  const r = inference.nodes.get(id);
  return r?.status === 'ok' ? r.outputs.values().next().value : undefined;
};

export function networkStrip(graph: Graph, inference: GraphInference): Diagram {
  const column = columns(graph);
  const shapes = new Map(graph.nodes.map((n) => [n.id, firstOutput(inference, n.id)]));
  const known = [...shapes.values()].filter((s): s is Shape => s !== undefined);
  const largest = {
    image: Math.max(2, ...known.filter(isImage).map((s) => s[1])),
    vector: Math.max(2, ...known.filter((s) => !isImage(s)).map((s) => s[0] ?? 1)),
  };
  const byColumn = [...Array(Math.max(0, ...column.values()) + 1)].map((_, i) =>
    graph.nodes.filter((n) => column.get(n.id) === i),
  );
  const stacks = byColumn.map((nodes) => nodes.map((n) => barHeight(shapes.get(n.id), largest)));
  const height = Math.max(TALLEST, ...stacks.map((h) => h.reduce((s, x) => s + x + GAP, -GAP)));
  let x = 0;
  const bars = byColumn.flatMap((nodes, i) => {
    const widths = nodes.map((n) => (stripKind(n) === 'block' ? BLOCK_WIDTH : LAYER_WIDTH));
    let y = (height - stacks[i]!.reduce((s, h) => s + h + GAP, -GAP)) / 2;
    const drawn = nodes.map((n, j) => {
      const shape = shapes.get(n.id);
      const h = stacks[i]![j]!;
      const tip = `${nodeTitle(n, graph.blocks)}${shape ? ` → ${formatShape(shape)}` : ''}`;
      const bar = `<rect x="${x}" y="${y.toFixed(1)}" width="${widths[j]}" height="${h.toFixed(1)}" rx="2" fill="${stripColours[stripKind(n)]}"><title>${escapeXml(tip)}</title></rect>`;
      y += h + GAP;
      return bar;
    });
    x += Math.max(0, ...widths) + GAP;
    return drawn;
  });
  const width = Math.max(1, x - GAP);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMid meet">${bars.join('')}</svg>`;
  return { svg, width, height };
}
