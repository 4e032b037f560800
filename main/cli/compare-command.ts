import { resolve, dirname } from 'node:path';
import {
  comparisonCsv,
  differingColumns,
  staticFigures,
  type ComparisonRow,
} from '../../shared/compare/static-figures.ts';
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
