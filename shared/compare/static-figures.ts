import type { Graph } from '../graph/document.ts';
import { hasErrors, inferShapes } from '../shapes/infer-shapes.ts';
import { failure, success, type Result } from '../result.ts';
import { COMPARISON_COLUMNS } from './run-table.ts';

/** What a design costs without training it: the same figures as its summary. */
export interface StaticFigures {
  trainable: number;
  nonTrainable: number;
  /** Floating-point operations for one sample (a multiply-add counts 2). */
  flops: number;
  /** Activations kept for a batch of the given size, in bytes (float32). */
  activationBytes: number;
  /** The weights and statistics, float32. */
  weightBytes: number;
}

/** A design's static figures at a batch size; a graph with a problem says which. */
export function staticFigures(graph: Graph, batch: number): Result<StaticFigures, string> {
  const inference = inferShapes(graph);
  if (hasErrors(inference)) {
    const first = inference.diagnostics.find((d) => d.severity === 'error')!;
    return failure(`${first.nodeId ? `${first.nodeId}: ` : ''}${first.message}`);
  }
  const { params, flops, memoryBytes } = inference.totals;
  return success({
    trainable: params.trainable,
    nonTrainable: params.nonTrainable,
    flops,
    activationBytes: memoryBytes * batch,
    weightBytes: 4 * (params.trainable + params.nonTrainable),
  });
}

/** One row of a comparison: a variant's name and its figures. */
export type ComparisonRow = { name: string } & Record<string, string | number>;

/** The columns whose values differ between the rows (always the name): "differences only". */
/**
 * Every column any row has, in the table's order: a row measured or trained later adds its columns even
 * when the first row has none of them (the first row's keys alone once hid them).
 */
export function tableColumns(rows: readonly ComparisonRow[]): string[] {
  const order = Object.keys(COMPARISON_COLUMNS);
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
  const present = new Set(['name', ...rows.flatMap((r) => Object.keys(r))]);
  return [...present].sort((a, b) => rank(a) - rank(b));
}

export function differingColumns(rows: readonly ComparisonRow[]): string[] {
  return tableColumns(rows).filter((c) => c === 'name' || new Set(rows.map((r) => String(r[c]))).size > 1);
}

/** The rows as CSV (RFC 4180: a field with a comma, quote or line break is quoted). */
export function comparisonCsv(rows: readonly ComparisonRow[], columns = tableColumns(rows)): string {
  const field = (v: unknown) => {
    const text = String(v ?? '');
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return (
    [columns.map(field).join(','), ...rows.map((r) => columns.map((c) => field(r[c])).join(','))].join('\n') +
    '\n'
  );
}
