import { dirname, join, resolve } from 'node:path';
import {
  staticFigures,
  type ComparisonRow,
  type StaticFigures,
} from '../../shared/compare/static-figures.ts';
import { diffGraphs } from '../../shared/compare/graph-diff.ts';
import {
  COMPARISON_COLUMNS,
  comparisonCsv,
  differingColumns,
  runRow,
  shownCell,
  tableColumns,
} from '../../shared/compare/run-table.ts';
import { parseSweepAxis } from '../../shared/compare/sweep.ts';
import { laidOutSweep } from '../../shared/compare/sweep-layout.ts';
import { comparisonChart, isChartX } from '../../shared/compare/comparison-chart.ts';
import type { Graph } from '../../shared/graph/document.ts';
import {
  graphFile,
  variantsFile,
  variantsOf,
  type GraphFile,
  type Variant,
} from '../../shared/graph/file-format.ts';
import { serializeDesignFile } from '../../shared/blocks/design-file.ts';
import { formatCount, formatFlops } from '../../shared/shapes/quantity-format.ts';
import { runStamp } from '../../shared/train/run-record.ts';
import {
  networkOptions,
  UsageError,
  type CliIo,
  type Command,
  type CommandSpec,
  type Values,
} from './command-kit.ts';
import { DATA_OPTIONS, RECIPE_OPTIONS, SOURCE_OPTIONS } from './command-options.ts';
import { loadGraphSource } from './graph-source.ts';
import type { TrainConfigInput } from '../../shared/train/train-config.ts';
import { fileStem } from '../host/document-service.ts';
import { recipeOfSource, trainAndKeep, trainingSetup } from './train-command.ts';
import { table } from './train-report.ts';

export const COMPARE_USAGE = `  compare A B … [--batch N] [--differences] [--json] [--csv FILE]
        [--train …train's recipe flags… [--runs DIR]] [--chart FILE.svg] [--chart-x inference|training|flops]
                                          Designs side by side (a file with variants gives each): parameters,
                                          buffers, FLOPs per sample, activation and weight memory; with
                                          --train, each trained with one recipe, its run kept, and the
                                          accuracy–speed–memory chart
  sweep FILE|template:NAME --param NODE.PARAM=VALUES [--param …] [--out FILE] [compare's flags]
                                          One variant per combination of values (1,2,3 or 16..64:16);
                                          --out writes them as one document the app opens`;

/** One design to compare: its name in the table and its graph. */
interface Design {
  name: string;
  graph: Graph;
  /** The recipe its document or template gives, for training. */
  recipe: TrainConfigInput;
}

function batchFlag(text: unknown): number {
  if (text === undefined) return 32;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 8192)
    throw new UsageError(`--batch must be a whole number from 1 to 8192, not "${String(text)}"`);
  return n;
}

/** The designs the sources name: a template, a file, or each variant of a file that has several. */
async function loadDesigns(sources: string[], v: Values, io: CliIo): Promise<Design[] | null> {
  const designs: Design[] = [];
  for (const source of sources) {
    const file = await loadGraphSource(source, io.fs.readText, networkOptions(v));
    if (!file.ok) {
      io.err(`blockwise: ${file.error}`);
      return null;
    }
    const { variants } = variantsOf(file.value);
    const recipe = recipeOfSource(file.value, source);
    for (const variant of variants)
      designs.push({ name: variants.length > 1 ? variant.name : source, graph: variant.graph, recipe });
  }
  return designs;
}

/** Each design's static figures; null (said on stderr) when one has a problem. */
function figuresOf(designs: Design[], batch: number, io: CliIo): StaticFigures[] | null {
  const out: StaticFigures[] = [];
  for (const d of designs) {
    const figures = staticFigures(d.graph, batch);
    if (!figures.ok) {
      io.err(`blockwise: ${d.name}: ${figures.error}`);
      return null;
    }
    out.push(figures.value);
  }
  return out;
}

/** The accuracy–speed–memory chart of trained rows, as SVG. */
function chartOf(rows: ComparisonRow[], v: Values): string {
  const x = isChartX(v['chart-x']) ? v['chart-x'] : 'inference';
  const ids = rows.map((_, i) => String(i));
  return comparisonChart(rows, ids, { x, batch: batchFlag(v['batch']) }).svg;
}

/** Trains every design with one recipe (the first design's, under the flags), keeping each run. */
async function trainDesigns(
  designs: Design[],
  figures: StaticFigures[],
  v: Values,
  io: CliIo,
): Promise<ComparisonRow[] | null> {
  const setup = await trainingSetup(v, io, designs[0]!.recipe);
  if (!setup) return null;
  const folder = typeof v['runs'] === 'string' ? v['runs'] : join('runs', `compare-${runStamp(new Date())}`);
  const rows: ComparisonRow[] = [];
  for (const [i, d] of designs.entries()) {
    const out = join(folder, `${i + 1}-${fileStem(d.name)}`);
    const trained = await trainAndKeep(graphFile(d.graph, d.name), setup, out, io);
    if (!trained) return null;
    rows.push(runRow(d.name, trained.record, figures[i]!));
  }
  if (!setup.quiet) io.err(`Runs kept in ${folder}/.`);
  return rows;
}

/** The table, JSON or CSV of the rows, and the chart when asked. */
async function report(rows: ComparisonRow[], batch: number, v: Values, io: CliIo): Promise<void> {
  const columns = v['differences'] ? differingColumns(rows) : tableColumns(rows);
  const write = async (path: string, text: string) => {
    await io.fs.makeDir(dirname(resolve(path)));
    await io.fs.writeBytes(path, text);
  };
  if (typeof v['csv'] === 'string') await write(v['csv'], comparisonCsv(rows, columns));
  if (typeof v['chart'] === 'string') await write(v['chart'], chartOf(rows, v));
  if (v['json']) return io.out(JSON.stringify({ batch, rows }, null, 2));
  io.out(
    table(
      columns.map((c) => COMPARISON_COLUMNS[c]?.label ?? c),
      rows.map((r) => columns.map((c) => shownCell(c, r[c]))),
    ),
  );
  io.out(`\nActivations for a batch of ${batch}; weights and activations in float32.`);
}

/** Compares the designs: static figures, and with --train each one's run. */
async function compareDesigns(designs: Design[], v: Values, io: CliIo): Promise<number> {
  if (typeof v['chart'] === 'string' && !v['train'])
    throw new UsageError('--chart plots accuracy, which needs --train');
  if (v['chart-x'] !== undefined && !isChartX(v['chart-x']))
    throw new UsageError(`--chart-x must be inference, training or flops, not "${String(v['chart-x'])}"`);
  const batch = batchFlag(v['batch']);
  const figures = figuresOf(designs, batch, io);
  if (!figures) return 1;
  const rows = v['train']
    ? await trainDesigns(designs, figures, v, io)
    : designs.map((d, i) => ({ name: d.name, ...figures[i]! }));
  if (!rows) return 1;
  await report(rows, batch, v, io);
  return 0;
}

/** `compare A B …`: the static figures of files, their variants or templates; with --train, their runs. */
const compareCommand: Command = async (positionals, v, io) => {
  const designs = await loadDesigns(positionals, v, io);
  if (!designs) return 1;
  if (designs.length < 2)
    throw new UsageError('compare needs two or more designs: FILEs, template:NAMEs, or a file with variants');
  return compareDesigns(designs, v, io);
};

/** `sweep FILE --param NODE.PARAM=VALUES …`: the variants of every combination, compared (and kept with --out). */
const sweepCommand: Command = async (positionals, v, io) => {
  if (positionals.length !== 1) throw new UsageError('sweep needs one FILE or template:NAME');
  const params = (v['param'] ?? []) as string[];
  if (!params.length)
    throw new UsageError('sweep needs --param NODE.PARAM=VALUES (e.g. vgg2.channels=32,64)');
  const axes = params.map((p) => {
    const axis = parseSweepAxis(p);
    if (!axis.ok) throw new UsageError(`--param ${axis.error}`);
    return axis.value;
  });
  const file = await loadGraphSource(positionals[0]!, io.fs.readText, networkOptions(v));
  if (!file.ok) {
    io.err(`blockwise: ${file.error}`);
    return 1;
  }
  const swept = laidOutSweep(file.value.graph, axes);
  if (!swept.ok) {
    io.err(`blockwise: ${positionals[0]}: ${swept.error}`);
    return 1;
  }
  if (typeof v['out'] === 'string') await keepSweep(file.value, swept.value, v['out'], io);
  const recipe = recipeOfSource(file.value, positionals[0]!);
  const designs = swept.value.map((s) => ({ ...s, recipe }));
  return compareDesigns(designs, v, io);
};

/** A sweep's variants as one document: the app opens it with a tab for each. */
async function keepSweep(file: GraphFile, variants: Variant[], out: string, io: CliIo): Promise<void> {
  await io.fs.makeDir(dirname(resolve(out)));
  await io.fs.writeBytes(out, serializeDesignFile(variantsFile(variants, 0, `${file.meta.name} sweep`)));
  io.err(`Wrote the ${variants.length} variants to ${out}.`);
}

export const DIFF_USAGE = `  diff A B [--json]                       What changed from design A to B: nodes, parameters, wires,
                                          blocks, and the totals of each`;

const shown = (v: unknown) => (v === undefined ? '(default)' : JSON.stringify(v));

/** `diff A B`: the graph diff of two designs, with each side's static totals. */
const diffCommand: Command = async (positionals, v, io) => {
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

/** compare's options: the table's, and with --train the recipe's and the data's. */
const COMPARE_OPTIONS = [
  ...SOURCE_OPTIONS,
  ...DATA_OPTIONS,
  ...RECIPE_OPTIONS,
  'differences',
  'json',
  'csv',
  'chart',
  'chart-x',
  'train',
  'runs',
] as const;

export const compareCommands: Record<string, CommandSpec> = {
  compare: { run: compareCommand, options: COMPARE_OPTIONS },
  sweep: { run: sweepCommand, options: [...COMPARE_OPTIONS, 'param', 'out'] },
  diff: { run: diffCommand, options: [...SOURCE_OPTIONS, 'json'] },
};
