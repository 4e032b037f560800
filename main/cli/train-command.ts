import { dirname, join, resolve } from 'node:path';
import type { Totals } from '../../shared/shapes/infer-shapes.ts';
import { formatBytes } from '../../shared/shapes/quantity-format.ts';
import { keptRunBytes } from '../../shared/train/training-memory.ts';
import { compileGraph } from '../../shared/compile/compile-graph.ts';
import type { Dataset } from '../../shared/data/dataset.ts';
import { classCounts, previewSamples } from '../../shared/data/preview.ts';
import { modelFromFiles, WEIGHTS_FILE, type ModelFiles } from '../../shared/compile/tfjs-artifacts.ts';
import { transferWeights } from '../../shared/train/transfer.ts';
import { formatPath, type GraphFile } from '../../shared/graph/file-format.ts';
import type { BackendName } from '../../shared/train/backend.ts';
import { decodeCheckpoint, type Checkpoint } from '../../shared/train/checkpoint-file.ts';
import { evaluate } from '../../shared/train/evaluate.ts';
import { parseRunRecordText, runStamp, type RunRecord } from '../../shared/train/run-record.ts';
import { runFiles } from '../../shared/train/run-files.ts';
import {
  trainConfigSchema,
  type TrainConfig,
  type TrainConfigInput,
} from '../../shared/train/train-config.ts';
import {
  fieldApplies,
  fieldRange,
  flagPlaceholder,
  flagValue,
  FLAG_FIELDS,
  RecipeFieldError,
  recipeProblem,
  writeField,
  type RecipeField,
} from '../../shared/train/recipe-fields.ts';
import { templateOf } from './graph-source.ts';
import { startingRecipe } from '../../shared/templates/template.ts';
import { fileStem } from '../host/document-service.ts';
import { networkInput, trainModel, TrainingError, type TrainResult } from '../../shared/train/train-loop.ts';
import { DatasetCatalogue, parseDatasetSpec } from '../services/dataset-catalogue.ts';
import { startNodeBackend } from '../train/node-backends.ts';
import {
  formatDiagnostics,
  load,
  UsageError,
  type CliIo,
  type Command,
  type CommandSpec,
  type Values,
} from './command-kit.ts';
import { DATA_OPTIONS, LOADED_OPTIONS, RECIPE_OPTIONS } from './command-options.ts';
import { formatEpochTable, formatProgress, formatConfusion } from './train-report.ts';
import { trainWithTorch } from './torch-engine.ts';

export const TRAIN_USAGE = `  train FILE|template:NAME [--dataset fashion-mnist|idx:DIR|folder:DIR|csv:TRAIN,TEST[@CxHxW]]
${recipeUsage()}
        [--backend auto|wasm|cpu] [--threads N] [--out DIR] [--resume DIR] [--start-from RUN] [--json]
        [--engine tfjs|torch]              torch: PyTorch (the system's python3) runs the exported project
                                          --start-from: a run's weights where its layers match (an imported
                                          run's too), trained on under this recipe (--freeze features)
                                          Train on a dataset; writes run.json, model.json, weights.bin
                                          (blockwise train --help: each recipe flag's range and default)
  evaluate RUN_DIR [--dataset …] [--backend …] [--threads N] [--json]
                                          Test accuracy and confusion matrix of saved weights
  dataset [--dataset …] [--json]          Sizes, classes and a preview of one image per class`;

/** The recipe's flags in brackets, wrapped as the usage's other lines. */
function recipeUsage(): string {
  const flags = FLAG_FIELDS.map((f) => `[--${f.name}${flagPlaceholder(f) && ` ${flagPlaceholder(f)}`}]`);
  const lines: string[] = [];
  for (const flag of flags) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + flag.length < 100) lines[lines.length - 1] = `${last} ${flag}`;
    else lines.push(`        ${flag}`);
  }
  return lines.join('\n');
}

/** `train --help`: each recipe flag with its label, range and default, read from the recipe's schema. */
export function recipeHelp(): string {
  const rows = FLAG_FIELDS.map((f) => {
    const left = `  --${f.name}${flagPlaceholder(f) && ` ${flagPlaceholder(f)}`}`;
    const right = [f.label, fieldRange(f)].filter(Boolean).join(': ');
    return left.length < 42 ? `${left.padEnd(42)}${right}` : `${left}\n${' '.repeat(42)}${right}`;
  });
  return `Recipe flags (each over the design's own recipe; a flag given wins):\n${rows.join('\n')}`;
}

/**
 * The training config the flags describe, over a template's recipe (so `train template:lenet` with no
 * flags learns), checked by the same schema the UI uses. A flag given always wins; one that is not part of
 * the recipe's optimizer (--momentum with Adam) is refused rather than dropped.
 */
export function configFromFlags(v: Values, recipe: TrainConfigInput = {}): TrainConfig {
  let raw = recipe;
  for (const field of FLAG_FIELDS) {
    const given = v[field.name];
    if (given === undefined || Array.isArray(given)) continue;
    try {
      raw = writeField(raw, field, flagValue(field, given));
    } catch (e) {
      if (e instanceof RecipeFieldError) throw new UsageError(`--${field.name}: ${e.message}`);
      throw e;
    }
    if (!fieldApplies(field, raw)) throw new UsageError(`--${field.name}: ${notPartOf(field, raw)}`);
  }
  const parsed = trainConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problem = recipeProblem(raw)!;
  throw new UsageError(problem.field ? `--${problem.field.name}: must be ${problem.words}` : problem.words);
}

/** Why a flag has no place in this recipe: the optimizer it names has no such setting. */
function notPartOf(field: RecipeField, recipe: TrainConfigInput): string {
  const owner = field.path.split('.')[0] as keyof TrainConfigInput;
  const kind = (recipe[owner] as { kind?: string } | undefined)?.kind;
  return `the ${kind ?? owner} ${owner} has no ${field.label.toLowerCase()}`;
}

export async function loadDataset(v: Values, io: CliIo): Promise<Dataset | null> {
  const text = typeof v['dataset'] === 'string' ? v['dataset'] : 'fashion-mnist';
  const spec = parseDatasetSpec(text);
  if (!spec)
    throw new UsageError(
      `--dataset: "${text}" is not fashion-mnist, idx:DIR, folder:DIR or csv:TRAIN,TEST[@CxHxW]`,
    );
  const loaded = await new DatasetCatalogue(io.fs).load(spec);
  if (!loaded.ok) io.err(`blockwise: ${loaded.error.message}`);
  return loaded.ok ? loaded.value : null;
}

export function backendFlag(v: Values): BackendName | 'auto' {
  const b = v['backend'] ?? 'auto';
  if (b === 'auto' || b === 'wasm' || b === 'cpu') return b;
  if (b === 'webgl' || b === 'webgpu')
    throw new UsageError(
      `--backend ${b}: the command line has no ${b === 'webgl' ? 'WebGL' : 'WebGPU'}; train on the GPU in the app (npm start), or here with --backend wasm or cpu`,
    );
  throw new UsageError(`--backend: "${String(b)}" is not auto, wasm or cpu`);
}

export function threadsFlag(v: Values): number | undefined {
  const t = v['threads'];
  if (t === undefined) return undefined;
  const n = Number(t);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`--threads: "${String(t)}" is not a whole number from 1 to 64`);
  return n;
}

export const describeBackend = (b: { name: string; threads: number }) =>
  b.name === 'wasm' ? `wasm (${b.threads} thread${b.threads === 1 ? '' : 's'})` : b.name;

async function readCheckpoint(dir: string, io: CliIo): Promise<Checkpoint | null> {
  await io.fs.recoverFolder(dir);
  const path = join(dir, 'checkpoint.bin');
  if (!(await io.fs.exists(path))) {
    io.err(`blockwise: ${path}: no checkpoint to resume from`);
    return null;
  }
  const decoded = decodeCheckpoint(await io.fs.readBytes(path), path);
  if (!decoded.ok) io.err(`blockwise: ${decoded.error}`);
  return decoded.ok ? decoded.value : null;
}

/** --start-from RUN: the run's model.json and weights; undefined without the flag, null when unreadable. */
async function startFromRun(v: Values, io: CliIo): Promise<ModelFiles | null | undefined> {
  const dir = v['start-from'];
  if (typeof dir !== 'string') return undefined;
  if (typeof v['resume'] === 'string')
    throw new UsageError('--resume goes on with a run; --start-from starts a new one from it: give one');
  const [modelJson, weights] = [join(dir, 'model.json'), join(dir, WEIGHTS_FILE)];
  for (const path of [modelJson, weights])
    if (!(await io.fs.exists(path))) {
      io.err(`blockwise: ${path}: no such file (--start-from takes a run folder)`);
      return null;
    }
  return { modelJson: await io.fs.readText(modelJson), weightsBin: await io.fs.readBytes(weights) };
}

/** Where a run goes: --out, the run being resumed, or runs/<name>-<time>. */
export function defaultRunFolder(v: Values, name: string, startedAt: Date): string {
  if (typeof v['out'] === 'string') return v['out'];
  if (typeof v['resume'] === 'string') return v['resume'];
  return join('runs', `${fileStem(name)}-${runStamp(startedAt)}`);
}

/** What a training needs besides the design: the data, the recipe, where it runs, how it reports. */
export interface TrainingSetup {
  data: Dataset;
  config: TrainConfig;
  backend: { name: string; threads: number };
  /** JSON output: no lines on stderr but the progress bar. */
  quiet: boolean;
  resumeFrom?: Checkpoint;
  /** A run's model to start from: its weights wherever a layer matches (the recipe says what stays fixed). */
  startFrom?: ModelFiles;
}

/** Why the run folder will not fit on its disk, said before training (not after it, as ENOSPC was); null when it fits. */
async function roomForRun(
  totals: Totals,
  config: TrainConfig,
  out: string,
  io: CliIo,
): Promise<string | null> {
  const folder = dirname(resolve(out));
  const free = await io.fs.freeBytes(folder);
  const needed = keptRunBytes(totals, config.optimizer);
  if (free === null || free >= needed) return null;
  return `${folder} has ${formatBytes(free)} free; keeping this run needs about ${formatBytes(needed)}. Free some space there, or train with --out on another disk.`;
}

/**
 * Trains one design and keeps its run folder (replaced as a whole, so a kill at any moment leaves the previous
 * run or this one). Ctrl-C stops after the current batch, and what was trained is tested and kept. Null when
 * the design cannot train (said on stderr).
 */
export async function trainAndKeep(
  file: GraphFile,
  setup: TrainingSetup,
  out: string,
  io: CliIo,
): Promise<{ record: RunRecord; result: TrainResult } | null> {
  const { data, config, backend } = setup;
  const compiled = compileGraph(file.graph);
  if (!compiled.ok) {
    for (const line of formatDiagnostics(compiled.error.diagnostics)) io.err(line);
    return null;
  }
  const room = await roomForRun(compiled.value.inference.totals, config, out, io);
  if (room) {
    compiled.value.model.dispose();
    io.err(`blockwise: ${room}`);
    return null;
  }
  const took = setup.startFrom ? transferWeights(compiled.value, setup.startFrom).length : null;
  if (took === 0) {
    compiled.value.model.dispose();
    io.err('blockwise: --start-from: no layer of this design matches the run (same names and shapes)');
    return null;
  }
  const startedAt = new Date();
  if (!setup.quiet)
    io.err(
      `Training ${file.meta.name} on ${data.name} (${data.train.count} train / ${data.test.count} test) with the ${describeBackend(backend)} backend.`,
    );
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const result = await trainModel(compiled.value, data, config, {
      signal: controller.signal,
      ...(setup.resumeFrom ? { resumeFrom: setup.resumeFrom } : {}),
      keepInitialWeights: took !== null,
      onBatchEnd: (e) => io.progress?.(formatProgress(e, config.epochs)),
      onEpochEnd: (e) => {
        io.progress?.('');
        if (!setup.quiet)
          io.err(
            `epoch ${e.epoch}/${config.epochs}: loss ${e.trainLoss.toFixed(4)}, accuracy ${e.trainAccuracy.toFixed(4)}, ${e.evalSplit} accuracy ${e.evalAccuracy.toFixed(4)}, ${Math.round(e.trainSamplesPerSec)} samples/s`,
          );
      },
    });
    const { record, files } = await runFiles(file, compiled.value, result, {
      data,
      config,
      backend: backend.name,
      threads: backend.threads,
      startedAt,
    });
    await io.fs.replaceFolder(out, files);
    return { record, result };
  } catch (e) {
    if (e instanceof TrainingError) {
      io.err(`blockwise: ${e.message}`);
      return null;
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') {
      io.err(
        `blockwise: ${resolve(out)}: the disk is full; the run was trained but not kept. Free some space, then train again.`,
      );
      return null;
    }
    throw e;
  } finally {
    process.off('SIGINT', onInterrupt);
    compiled.value.model.dispose();
  }
}

/** The dataset, recipe and backend the flags ask for (over a template's recipe); null when the data fails. */
export async function trainingSetup(
  v: Values,
  io: CliIo,
  recipe?: TrainConfigInput,
): Promise<TrainingSetup | null> {
  const config = configFromFlags(v, recipe);
  const requested = backendFlag(v);
  const data = await loadDataset(v, io);
  if (!data) return null;
  const backend = await startNodeBackend(requested, threadsFlag(v));
  return { data, config, backend, quiet: v['json'] === true };
}

/**
 * The recipe a source trains with before the flags: its document's, else its template's, else the default
 * (the app's); a document's recipe that the schema refuses is an error naming the field, never ignored.
 */
export function recipeOfSource(file: GraphFile, source: string): TrainConfigInput {
  const parsed = trainConfigSchema.safeParse(startingRecipe(file.meta.recipe, templateOf(source)));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new UsageError(
    `${source}: its recipe's ${formatPath(issue.path)}: ${issue.message}. Set it with its flag or in the Train panel.`,
  );
}

const train: Command = async (positionals, v, io) => {
  const file = await load(positionals, v, io);
  if (!file) return 1;
  const recipe = recipeOfSource(file, positionals[0] ?? '');
  const engine = v['engine'] ?? 'tfjs';
  if (engine !== 'tfjs' && engine !== 'torch')
    throw new UsageError(`--engine must be tfjs or torch, not "${String(engine)}"`);
  if (engine === 'torch')
    return trainWithTorch(
      file,
      configFromFlags(v, recipe),
      v,
      io,
      defaultRunFolder(v, file.meta.name, new Date()),
    );
  const resumeFrom = typeof v['resume'] === 'string' ? await readCheckpoint(v['resume'], io) : undefined;
  if (resumeFrom === null) return 1;
  const startFrom = await startFromRun(v, io);
  if (startFrom === null) return 1;
  const setup = await trainingSetup(v, io, recipe);
  if (!setup) return 1;
  const out = defaultRunFolder(v, file.meta.name, new Date());
  const from = { ...(resumeFrom ? { resumeFrom } : {}), ...(startFrom ? { startFrom } : {}) };
  const trained = await trainAndKeep(file, { ...setup, ...from }, out, io);
  if (!trained) return 1;
  const { record, result } = trained;
  if (setup.quiet) io.out(JSON.stringify(record, null, 2));
  else {
    io.out(formatEpochTable(record));
    io.out(
      `\nTest accuracy ${record.test.accuracy.toFixed(4)} (loss ${record.test.loss.toFixed(4)}) on ${describeBackend(setup.backend)}; ${result.stoppedBy === 'completed' ? 'completed' : `stopped (${result.stoppedBy})`} in ${result.seconds.toFixed(1)} s.`,
    );
    io.out(`Saved to ${out}/ (run.json, model.json, ${WEIGHTS_FILE}, checkpoint.bin).`);
  }
  return 0;
};

const evaluateCommand: Command = async (positionals, v, io) => {
  if (positionals.length !== 1) throw new UsageError('give one RUN_DIR (a folder written by train)');
  const dir = positionals[0]!;
  await io.fs.recoverFolder(dir);
  const paths = {
    model: join(dir, 'model.json'),
    weights: join(dir, WEIGHTS_FILE),
    run: join(dir, 'run.json'),
  };
  for (const p of Object.values(paths)) {
    if (!(await io.fs.exists(p))) {
      io.err(`blockwise: ${p}: not found (is ${dir} a folder written by blockwise train?)`);
      return 1;
    }
  }
  const read = parseRunRecordText(await io.fs.readText(paths.run));
  if (!read.ok) {
    io.err(`blockwise: ${paths.run}: ${read.error}`);
    return 1;
  }
  const record = read.value;
  const data = await loadDataset(v, io);
  if (!data) return 1;
  const backend = await startNodeBackend(backendFlag(v), threadsFlag(v));
  const model = await modelFromFiles({
    modelJson: await io.fs.readText(paths.model),
    weightsBin: await io.fs.readBytes(paths.weights),
  });
  try {
    const indices = Int32Array.from({ length: data.test.count }, (_, i) => i);
    const { preprocess, batchSize } = record.config;
    const result = await evaluate(model, {
      outputs: 'probabilities',
      data,
      set: data.test,
      indices,
      input: networkInput(model),
      preprocess,
      batchSize,
    });
    // Per-image predictions are for the app's view of the mistakes, not for this summary.
    const { predictions: _perImage, ...summary } = result;
    if (v['json'] === true) io.out(JSON.stringify({ backend: backend.name, ...summary }, null, 2));
    else {
      io.out(
        `Test accuracy ${result.accuracy.toFixed(4)}, loss ${result.loss.toFixed(4)}, ${Math.round(result.samplesPerSec)} samples/s on ${describeBackend(backend)}.\n`,
      );
      io.out(formatConfusion(result.confusion, data.classes));
    }
    return 0;
  } finally {
    model.dispose();
  }
};

const SHADES = ' .:-=+*#%@';

/** An image as text, two characters a pixel (grey levels from the first channel). */
function asText(
  pixels: Uint8Array,
  [channels, height, width]: [number, number, number],
  scale: number,
): string[] {
  const rows: string[] = [];
  for (let y = 0; y < height; y += scale) {
    let row = '';
    for (let x = 0; x < width; x += scale)
      row += SHADES[Math.floor((pixels[(y * width + x) * channels]! / 256) * SHADES.length)]!.repeat(2);
    rows.push(row);
  }
  return rows;
}

const datasetCommand: Command = async (positionals, v, io) => {
  if (positionals.length > 0) throw new UsageError('dataset takes no FILE; choose it with --dataset');
  const data = await loadDataset(v, io);
  if (!data) return 1;
  const counts = { train: classCounts(data, data.train), test: classCounts(data, data.test) };
  if (v['json'] === true) {
    io.out(
      JSON.stringify(
        {
          name: data.name,
          shape: data.shape,
          classes: data.classes,
          train: data.train.count,
          test: data.test.count,
          counts,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  io.out(
    `${data.name}: ${data.train.count} training and ${data.test.count} test images of ${data.shape.join('×')} (C×H×W), ${data.classes.length} classes.\n`,
  );
  const scale = Math.max(1, Math.ceil(data.shape[1] / 28));
  for (const sample of previewSamples(data)) {
    io.out(
      `${sample.label} ${sample.className} (${counts.train[sample.label]} train, ${counts.test[sample.label]} test)`,
    );
    io.out(asText(sample.pixels, data.shape, scale).join('\n'));
  }
  return 0;
};

export const trainCommands: Record<string, CommandSpec> = {
  train: {
    run: train,
    options: [
      ...LOADED_OPTIONS,
      ...DATA_OPTIONS,
      ...RECIPE_OPTIONS,
      'out',
      'resume',
      'start-from',
      'json',
      'engine',
    ],
    help: () => `${TRAIN_USAGE.split('\n  evaluate')[0]}\n\n${recipeHelp()}`,
  },
  evaluate: { run: evaluateCommand, options: [...DATA_OPTIONS, 'json'] },
  dataset: { run: datasetCommand, options: ['dataset', 'json'] },
};
