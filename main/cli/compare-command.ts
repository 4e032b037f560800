import { resolve, dirname } from 'node:path';
import {
  comparisonCsv,
  differingColumns,
  staticFigures,
  type ComparisonRow,
} from '../../shared/compare/static-figures.ts';
import { diffGraphs } from '../../shared/compare/graph-diff.ts';
import type { Graph } from '../../shared/graph/document.ts';
import { formatBytes, formatCount, formatFlops } from '../../shared/shapes/quantity-format.ts';
import { networkOptions, UsageError, type Command } from './cli.ts';
import { loadGraphSource } from './graph-source.ts';
import { table } from './train-report.ts';

export const COMPARE_USAGE = `  compare A B … [--batch N] [--differences] [--json] [--csv FILE]
                                          Designs side by side: parameters, buffers, FLOPs per sample,
                                          activation memory for a batch, weight memory`;

/** How each column reads in the table (JSON and CSV keep the numbers). */
const SHOWN: Record<string, (v: number) => string> = {
  trainable: formatCount,
  nonTrainable: formatCount,
  flops: formatFlops,
  activationBytes: formatBytes,
  weightBytes: formatBytes,
};
const HEADERS: Record<string, string> = {
  name: 'design',
  trainable: 'trainable',
  nonTrainable: 'buffers',
  flops: 'FLOPs/sample',
  activationBytes: 'activations',
  weightBytes: 'weights',
};

function batchFlag(text: unknown): number {
  if (text === undefined) return 32;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 8192)
    throw new UsageError(`--batch must be a whole number from 1 to 8192, not "${String(text)}"`);
  return n;
}

/** `compare A B …`: the static figures of files or templates, as a table, JSON or CSV. */
export const compareCommand: Command = async (positionals, v, io) => {
  if (positionals.length < 2) throw new UsageError('compare needs two or more FILEs or template:NAMEs');
  const batch = batchFlag(v['batch']);
  const rows: ComparisonRow[] = [];
  for (const source of positionals) {
    const file = await loadGraphSource(source, io.fs.readText, networkOptions(v));
    const figures = file.ok ? staticFigures(file.value.graph, batch) : file;
    if (!figures.ok) {
      io.err(`blockwise: ${file.ok ? `${source}: ` : ''}${figures.error}`);
      return 1;
    }
    rows.push({ name: source, ...figures.value });
  }
  const columns = v['differences'] ? differingColumns(rows) : Object.keys(rows[0]!);
  if (typeof v['csv'] === 'string') {
    await io.fs.makeDir(dirname(resolve(v['csv'])));
    await io.fs.writeBytes(v['csv'], comparisonCsv(rows, columns));
  }
  if (v['json']) io.out(JSON.stringify({ batch, rows }, null, 2));
  else {
    const cells = rows.map((r) => columns.map((c) => (SHOWN[c] ? SHOWN[c](Number(r[c])) : String(r[c]))));
    io.out(
      table(
        columns.map((c) => HEADERS[c] ?? c),
        cells,
      ),
    );
    io.out(`\nActivations for a batch of ${batch}; weights and activations in float32.`);
  }
  return 0;
};

export const DIFF_USAGE = `  diff A B [--json]                       What changed from design A to B: nodes, parameters, wires,
                                          blocks, and the totals of each`;

const shown = (v: unknown) => (v === undefined ? '(default)' : JSON.stringify(v));

/** `diff A B`: the graph diff of two designs, with each side's static totals. */
export const diffCommand: Command = async (positionals, v, io) => {
  if (positionals.length !== 2) throw new UsageError('diff needs two FILEs or template:NAMEs');
  const sides = [];
  for (const source of positionals) {
    const file = await loadGraphSource(source, io.fs.readText, networkOptions(v));
    if (!file.ok) {
      io.err(`blockwise: ${file.error}`);
      return 1;
    }
    sides.push(file.value.graph);
  }
  const [a, b] = sides as [Graph, Graph];
  const diff = diffGraphs(a, b);
  const totals = [a, b].map((g) => staticFigures(g, 1));
  if (v['json']) {
    io.out(
      JSON.stringify(
        { ...diff, totals: totals.map((t) => (t.ok ? t.value : { problem: t.error })) },
        null,
        2,
      ),
    );
    return 0;
  }
  const lines = [
    ...diff.changed.map(
      (c) =>
        `changed  ${c.id}${c.type ? ` (${c.type[0]} → ${c.type[1]})` : ''}: ${c.params.map((p) => `${p.key} ${shown(p.before)} → ${shown(p.after)}`).join(', ')}`,
    ),
    ...diff.added.map((n) => `added    ${n.id} (${n.type})`),
    ...diff.removed.map((n) => `removed  ${n.id} (${n.type})`),
    `wires    +${diff.addedEdges.length} −${diff.removedEdges.length}`,
    ...(['added', 'removed', 'changed'] as const).flatMap((k) =>
      diff.blocks[k].length ? [`blocks   ${k}: ${diff.blocks[k].join(', ')}`] : [],
    ),
  ];
  io.out(lines.join('\n'));
  const [before, after] = totals;
  if (before?.ok && after?.ok)
    io.out(
      `totals   trainable ${formatCount(before.value.trainable)} → ${formatCount(after.value.trainable)}, FLOPs ${formatFlops(before.value.flops)} → ${formatFlops(after.value.flops)}`,
    );
  return 0;
};
