import type { RunRecord } from '../train/run-record.ts';
import { formatBytes, formatCount, formatFlops } from '../shapes/quantity-format.ts';
import type { ComparisonRow, StaticFigures } from './static-figures.ts';

/** Every column a comparison may show, in order, with its heading and how a value reads. */
export const COMPARISON_COLUMNS: Record<string, { label: string; shown?: (v: number) => string }> = {
  name: { label: 'variant' },
  hash: { label: 'graph' },
  run: { label: 'run' },
  trainable: { label: 'trainable', shown: formatCount },
  nonTrainable: { label: 'buffers', shown: formatCount },
  flops: { label: 'FLOPs/sample', shown: formatFlops },
  activationBytes: { label: 'activations', shown: formatBytes },
  weightBytes: { label: 'weights', shown: formatBytes },
  optimizer: { label: 'optimizer' },
  lr: { label: 'lr' },
  epochs: { label: 'epochs' },
  batch: { label: 'batch' },
  resize: { label: 'resize' },
  augment: { label: 'augment' },
  backend: { label: 'backend' },
  threads: { label: 'threads' },
  trainSamplesPerSec: { label: 'train samples/s', shown: (v) => formatCount(Math.round(v)) },
  inferenceSamplesPerSec: { label: 'inference samples/s', shown: (v) => formatCount(Math.round(v)) },
  bestEvalAccuracy: { label: 'best val. acc.', shown: (v) => `${(100 * v).toFixed(2)}%` },
  testAccuracy: { label: 'test acc.', shown: (v) => `${(100 * v).toFixed(2)}%` },
  seconds: { label: 'wall time', shown: (v) => `${v.toFixed(1)} s` },
};

/** A cell as the table shows it (JSON and CSV keep the raw value). */
export function shownCell(column: string, value: string | number | undefined): string {
  if (value === undefined || value === '') return '—';
  const shown = COMPARISON_COLUMNS[column]?.shown;
  return shown && typeof value === 'number' ? shown(value) : String(value);
}

const augmentText = (a: RunRecord['config']['augment']) =>
  a
    ? [a.flip ? 'flip' : '', a.cropPadding ? `crop ${a.cropPadding}` : ''].filter(Boolean).join(' + ') ||
      'none'
    : 'none';

/** Samples a second over the epochs that trained (the first includes warm-up, and counts like the rest). */
const meanTrainSpeed = (run: RunRecord) =>
  run.epochs.length ? run.epochs.reduce((s, e) => s + e.trainSamplesPerSec, 0) / run.epochs.length : '';

/**
 * One run as a row of the runs table: the variant it trained, its static figures (when its graph is known),
 * its recipe, where it ran, how fast, and how well.
 */
export function runRow(name: string, run: RunRecord, figures: StaticFigures | null): ComparisonRow {
  const { config } = run;
  const evalAccuracies = run.epochs.map((e) => e.evalAccuracy);
  return {
    name,
    hash: run.graph.hash.slice(0, 8),
    ...(figures ?? {}),
    // An imported run trained nothing here: no optimizer or learning rate of its own.
    optimizer: run.importedFrom ? `imported (${run.importedFrom})` : config.optimizer.kind,
    lr: run.importedFrom ? '' : config.lr,
    epochs: run.epochs.length,
    batch: config.batchSize,
    resize: config.preprocess.resize ?? 'none',
    augment: augmentText(config.augment),
    backend: run.backend,
    threads: run.threads,
    trainSamplesPerSec: meanTrainSpeed(run),
    inferenceSamplesPerSec: run.test.samplesPerSec,
    bestEvalAccuracy: evalAccuracies.length ? evalAccuracies.reduce((a, b) => Math.max(a, b)) : '',
    testAccuracy: run.test.accuracy,
    seconds: run.seconds,
  };
}

/** The rows sorted by one column (numbers by value, text alphabetically; empty cells last). */
export function sortRows(
  rows: readonly ComparisonRow[],
  column: string,
  descending: boolean,
): ComparisonRow[] {
  const key = (r: ComparisonRow) => r[column];
  return [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === undefined || x === '') return 1;
    if (y === undefined || y === '') return -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return descending ? -order : order;
  });
}

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

/** The columns whose values differ between the rows (always the name): "differences only". */
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
