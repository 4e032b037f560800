import { join } from 'node:path';
import { pytorchProject, type ProjectFiles } from '../../shared/export/pytorch/project.ts';
import type { FileSystem } from '../services/file-system.ts';
import { pytorchProjectOfRun } from '../../shared/export/pytorch/run-to-pytorch.ts';
import type { RunFiles } from '../../shared/train/kept-run-model.ts';
import { WEIGHTS_FILE } from '../../shared/compile/tfjs-artifacts.ts';
import type { GraphFile } from '../../shared/graph/file-format.ts';
import { templateOf } from './graph-source.ts';
import { DEFAULT_RECIPE, startingRecipe } from '../../shared/templates/template.ts';
import { trainConfigSchema, type TrainConfig } from '../../shared/train/train-config.ts';
import { startNodeBackend } from '../train/node-backends.ts';
import { load, UsageError, type CliIo, type Values } from './command-kit.ts';

/** A run folder's files, after finishing a replacement a crash cut short. */
export async function readRun(dir: string, io: CliIo): Promise<RunFiles> {
  await io.fs.recoverFolder(dir);
  const path = (name: string) => join(dir, name);
  for (const name of ['run.json', 'model.json', WEIGHTS_FILE, 'graph.blockwise.json'])
    if (!(await io.fs.exists(path(name))))
      throw new UsageError(
        `--run ${dir}: ${name} is missing (is it a folder written by blockwise train or the app?)`,
      );
  return {
    graphText: await io.fs.readText(path('graph.blockwise.json')),
    runJson: await io.fs.readText(path('run.json')),
    modelJson: await io.fs.readText(path('model.json')),
    weights: await io.fs.readBytes(path(WEIGHTS_FILE)),
  };
}

/** Writes a project's files into a folder, made when it is missing. */
export async function writeProject(fs: FileSystem, dir: string, files: ProjectFiles): Promise<void> {
  await fs.makeDir(dir);
  for (const [name, content] of Object.entries(files)) await fs.writeBytes(join(dir, name), content);
}

/** The recipe a graph without a run is exported with: the document's, the template's, or the default. */
function recipeOf(file: GraphFile, source: string): TrainConfig {
  const saved = trainConfigSchema.safeParse(startingRecipe(file.meta.recipe, templateOf(source)));
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
  let project;
  if (run) {
    // The run's own graph is exported: the one its weights were trained for.
    await startNodeBackend('cpu', 1);
    project = pytorchProjectOfRun(await readRun(run, io));
  } else {
    const file = await load(positionals, values, io);
    if (!file) return 1;
    project = pytorchProject({
      graph: file.graph,
      name: file.meta.name,
      recipe: recipeOf(file, positionals[0]!),
    });
  }
  if (!project.ok) {
    const where = project.error.nodeId ? ` (node ${project.error.nodeId})` : '';
    io.err(`blockwise: cannot export to PyTorch${where}: ${project.error.message}`);
    return 1;
  }
  await writeProject(io.fs, out, project.value);
  io.out(`Wrote ${Object.keys(project.value).sort().join(', ')} to ${out}/. See its README.md.`);
  return 0;
}
