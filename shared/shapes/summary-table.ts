import type { Graph } from '../graph/document.ts';
import { kindTitle } from '../blocks/node-ports.ts';
import { topLevelId } from '../blocks/flatten-graph.ts';
import type { GraphInference, Totals } from './infer-shapes.ts';
import { formatBytes, formatCount, formatFlops } from './quantity-format.ts';
import { formatShape, type Shape, type ShapeOrder } from '../shape.ts';

export interface SummaryRow {
  id: string;
  name: string;
  type: string;
  /** Output shape(s), one per output port; null where the node has a problem. */
  outputs: Shape[] | null;
  params: number;
  flops: number;
}

/** Columns a summary adds on request (receptive fields, training memory): their headings and each row's cells. */
export interface SummaryColumns {
  header: string[];
  cells(row: SummaryRow): string[];
  /** Numbers align right. */
  numeric?: boolean;
}

export interface Summary {
  rows: SummaryRow[];
  totals: Totals;
}

/** The Keras-style summary: a row per node (or per layer, expanded), in the order data flows. */
export function summarize(graph: Graph, inference: GraphInference, expand = false): Summary {
  const { flat } = inference;
  const rows: SummaryRow[] = [];
  if (expand) {
    for (const node of flat.order) {
      const r = flat.results.get(node.id);
      const ok = r?.status === 'ok' ? r : null;
      rows.push({
        id: node.id,
        name: node.label ?? node.id,
        type: node.type,
        outputs: ok && [ok.shape],
        params: ok ? ok.params.trainable + ok.params.nonTrainable : 0,
        flops: ok?.flops ?? 0,
      });
    }
    return { rows, totals: inference.totals };
  }
  const seen = new Set<string>();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const flatNode of flat.order) {
    const id = topLevelId(flatNode.id);
    if (seen.has(id)) continue;
    seen.add(id);
    const node = byId.get(id)!;
    const r = inference.nodes.get(id);
    const ok = r?.status === 'ok' ? r : null;
    rows.push({
      id,
      name: node.label ?? id,
      type: kindTitle(node.type, graph.blocks),
      outputs: ok && [...ok.outputs.values()],
      params: ok ? ok.params.trainable + ok.params.nonTrainable : 0,
      flops: ok?.flops ?? 0,
    });
  }
  return { rows, totals: inference.totals };
}

/** The summary as a plain-text table, as the CLI prints it. */
export function formatSummary(
  summary: Summary,
  order: ShapeOrder = 'CHW',
  extra: readonly SummaryColumns[] = [],
): string {
  const header = ['Layer', 'Type', 'Output shape', 'Params', 'FLOPs', ...extra.flatMap((c) => c.header)];
  const right = new Set([3, 4]);
  let at = 5;
  for (const c of extra) {
    if (c.numeric) c.header.forEach((_, i) => right.add(at + i));
    at += c.header.length;
  }
  const body = summary.rows.map((r) => [
    r.name,
    r.type,
    r.outputs ? r.outputs.map((s) => formatShape(s, order)).join(', ') : '(problem)',
    formatCount(r.params),
    formatFlops(r.flops),
    ...extra.flatMap((c) => c.cells(r)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = '─'.repeat(widths.reduce((s, w) => s + w + 2, -2));
  const { params, flops, memoryBytes } = summary.totals;
  return [
    line(header),
    rule,
    ...body.map(line),
    rule,
    `Total params: ${formatCount(params.trainable + params.nonTrainable)}`,
    `Trainable params: ${formatCount(params.trainable)}`,
    `Non-trainable params: ${formatCount(params.nonTrainable)}`,
    `FLOPs per sample: ${formatFlops(flops)}`,
    `Activation memory per sample: ${formatBytes(memoryBytes)}`,
  ].join('\n');
}
