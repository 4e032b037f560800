import { join } from 'node:path';
import { compileGraph, type CompiledGraph } from '../../shared/compile/compile-graph.ts';
import { pytorchProject } from '../../shared/export/pytorch/project.ts';
import { WEIGHTS_FILE } from '../../shared/export/tfjs-artifacts.ts';
import { parseGraphFile, type GraphFile } from '../../shared/graph/file-format.ts';
import { findTemplate } from '../../shared/templates/catalogue.ts';
import { DEFAULT_RECIPE } from '../../shared/templates/template.ts';
import { graphHash } from '../../shared/train/run-record.ts';
import { trainConfigSchema, type TrainConfig } from '../../shared/train/train-config.ts';
import { transferWeights } from '../../shared/train/transfer.ts';
import { startNodeBackend } from '../train/node-backends.ts';
import { load, UsageError, type CliIo, type Values } from './cli.ts';

/** A run folder's graph snapshot, recipe and trained model, or why it cannot be used. */
async function readRun(
  dir: string,
  io: CliIo,
): Promise<{ file: GraphFile; recipe: TrainConfig; compiled: CompiledGraph }> {
  await io.fs.recoverFolder(dir);
  const path = (name: string) => join(dir, name);
  for (const name of ['run.json', 'model.json', WEIGHTS_FILE, 'graph.blockwise.json'])
    if (!(await io.fs.exists(path(name))))
      throw new UsageError(
        `--run ${dir}: ${name} is missing (is it a folder written by blockwise train or the app?)`,
      );
  const parsed = parseGraphFile(await io.fs.readText(path('graph.blockwise.json')));
  if (!parsed.ok) throw new Error(`${path('graph.blockwise.json')}: ${parsed.error.message}`);
  const record = JSON.parse(await io.fs.readText(path('run.json'))) as { config?: unknown };
  const recipe = trainConfigSchema.safeParse(record.config);
  if (!recipe.success)
    throw new Error(`${path('run.json')}: its recipe does not read (${recipe.error.issues[0]?.message})`);
  const compiled = compileGraph(parsed.value.graph);
  if (!compiled.ok) throw new Error(`${path('graph.blockwise.json')}: ${compiled.error.message}`);
  const files = {
    modelJson: await io.fs.readText(path('model.json')),
    weightsBin: await io.fs.readBytes(path(WEIGHTS_FILE)),
  };
  const took = new Set(transferWeights(compiled.value, files));
  const untrained = compiled.value.model.layers.find((l) => l.weights.length > 0 && !took.has(l.name));
  if (untrained) throw new Error(`${dir}: the weights do not fit the run's graph (layer ${untrained.name})`);
  return { file: parsed.value, recipe: recipe.data, compiled: compiled.value };
}

/** The recipe a graph without a run is exported with: the document's, the template's, or the default. */
function recipeOf(file: GraphFile, source: string): TrainConfig {
  const template = source.startsWith('template:')
    ? findTemplate(source.slice('template:'.length))
    : undefined;
  const saved = trainConfigSchema.safeParse(file.meta.recipe ?? template?.recipe ?? DEFAULT_RECIPE);
  return saved.success ? saved.data : trainConfigSchema.parse(DEFAULT_RECIPE);
}

/**
 * `export … --to pytorch --out DIR [--run RUN]`: a PyTorch project in DIR (model.py, train.py, README,
 * and with a run its weights and verify.py). With --run, the run's own graph is exported: the one its
 * weights were trained for.
 */
export async function exportPytorch(positionals: string[], values: Values, io: CliIo): Promise<number> {
  const out = values.out;
  if (typeof out !== 'string') throw new UsageError('export --to pytorch needs --out DIR (a folder)');
  const run = typeof values.run === 'string' ? values.run : null;
  let input: { file: GraphFile; recipe: TrainConfig; compiled?: CompiledGraph };
  if (run) {
    await startNodeBackend('cpu', 1);
    input = await readRun(run, io);
  } else {
    const file = await load(positionals, values, io);
    if (!file) return 1;
    input = { file, recipe: recipeOf(file, positionals[0]!) };
  }
  const project = pytorchProject({
    graph: input.file.graph,
    name: input.file.meta.name,
    recipe: input.recipe,
    graphHash: graphHash(JSON.stringify(input.file.graph)),
    ...(input.compiled ? { trained: input.compiled } : {}),
  });
  input.compiled?.model.dispose();
  if (!project.ok) {
    const where = project.error.nodeId ? ` (node ${project.error.nodeId})` : '';
    io.err(`blockwise: cannot export to PyTorch${where}: ${project.error.message}`);
    return 1;
  }
  await io.fs.makeDir(out);
  for (const [name, content] of Object.entries(project.value))
    await io.fs.writeBytes(join(out, name), content);
  io.out(`Wrote ${Object.keys(project.value).sort().join(', ')} to ${out}/. See its README.md.`);
  return 0;
}
