import { join } from 'node:path';
import { KERAS_FILE, kerasScript } from '../../shared/export/keras/keras-script.ts';
import type { ProjectFiles } from '../../shared/export/pytorch/project.ts';
import { WEIGHTS_FILE } from '../../shared/compile/tfjs-artifacts.ts';
import { parseDesignFile } from '../../shared/blocks/design-file.ts';
import { load, UsageError, type CliIo, type Values } from './command-kit.ts';
import { readRun, writeProject } from './export-pytorch.ts';

/**
 * `export … --to keras --out DIR [--run RUN]`: model_keras.py in DIR, and with a run (read as the PyTorch
 * export reads it), the run's graph as the script and its tfjs artifacts (model.json and weights.bin, in Keras's own layout: tfjs is Keras's
 * format) beside it.
 */
export async function exportKeras(positionals: string[], values: Values, io: CliIo): Promise<number> {
  const out = values.out;
  if (typeof out !== 'string') throw new UsageError('export --to keras needs --out DIR (a folder)');
  const runDir = typeof values.run === 'string' ? values.run : null;
  const run = runDir ? await readRun(runDir, io) : null;
  const file =
    run && runDir ? parsedRunGraph(runDir, run.graphText, io) : await load(positionals, values, io);
  if (!file) return 1;
  const script = kerasScript(file.graph, file.meta.name);
  if (!script.ok) {
    const where = script.error.nodeId ? ` (node ${script.error.nodeId})` : '';
    io.err(`blockwise: cannot export to Keras${where}: ${script.error.message}`);
    return 1;
  }
  const artifacts: ProjectFiles = run ? { 'model.json': run.modelJson, [WEIGHTS_FILE]: run.weights } : {};
  await writeProject(io.fs, out, { [KERAS_FILE]: script.value, ...artifacts });
  io.out(`Wrote ${[KERAS_FILE, ...Object.keys(artifacts)].join(', ')} to ${out}/.`);
  return 0;
}

/** The graph a run trained (its folder's copy), or null when it cannot be read (said on stderr). */
function parsedRunGraph(dir: string, text: string, io: CliIo) {
  const parsed = parseDesignFile(text);
  if (!parsed.ok) io.err(`blockwise: ${join(dir, 'graph.blockwise.json')}: ${parsed.error.message}`);
  return parsed.ok ? parsed.value : null;
}
