import { basename, dirname, join, resolve } from 'node:path';
import { compileGraph } from '../../shared/compile/compile-graph.ts';
import { applyCommand } from '../../shared/graph/commands.ts';
import { graphFile, type GraphFile } from '../../shared/graph/file-format.ts';
import { serializeDesignFile } from '../../shared/blocks/design-file.ts';
import { tidyLayout } from '../../shared/layout/tidy-layout.ts';
import {
  importedRunFiles,
  tfjsWeightsLoader,
  type ImportedWeights,
} from '../../shared/train/imported-run.ts';
import { stateDictLoader } from '../../shared/export/pytorch/state-dict-import.ts';
import { readStateDictFile } from '../export/state-dict-file.ts';
import { STATE_DICT_FILE } from '../../shared/api/designer-api.ts';
import { joinedWeights, weightFileNames } from '../../shared/import/imported-weights.ts';
import { importKerasModel, type ImportedModel } from '../../shared/import/keras-model.ts';
import { TrainingError } from '../../shared/train/train-loop.ts';
import { load, UsageError, type CliIo, type Command, type CommandSpec, type Values } from './command-kit.ts';
import { DATA_OPTIONS, LOADED_OPTIONS } from './command-options.ts';
import { defaultRunFolder, describeBackend, trainingSetup } from './train-command.ts';

export const IMPORT_USAGE = `  import MODEL.json [--out FILE] [--run DIR] [--topology-only] [--dataset …] [--resize N] [--normalize M,S]
                                          A Keras model JSON (model.to_json()) or a tfjs model.json as a
                                          graph file, laid out; a layer Blockwise has no node for is named.
                                          A tfjs model's weights (the files its manifest names, beside it)
                                          are tested on the dataset and kept as a run of no epochs
                                          (--run DIR, or runs/NAME-TIME): resume it to train them on
  import WEIGHTS.pth --graph G [--input CxHxW] [--classes N] [--run DIR] [--dataset …]
                                          A PyTorch state_dict (read by python3 with torch, weights_only)
                                          into the design G by its model.py's names (torchvision's for the
                                          torchvision templates), tested and kept as a run the same way`;

/** `import MODEL.json`: the graph (a file, or stdout), and the model's weights as a run when it has them. */
const importCommand: Command = async (positionals, values, io) => {
  if (positionals.length !== 1) throw new UsageError('give one MODEL.json or WEIGHTS.pth to import');
  const path = positionals[0]!;
  if (STATE_DICT_FILE.test(path)) return importStateDict(path, values, io);
  if (values.graph !== undefined) throw new UsageError('--graph goes with a WEIGHTS.pth, not a model JSON');
  const text = await io.fs.readText(path);
  const imported = importKerasModel(text);
  if (!imported.ok) {
    io.err(`blockwise: ${path}: ${imported.error}`);
    return 1;
  }
  const { graph, name } = imported.value;
  const file = graphFile(applyCommand(graph, tidyLayout(graph)).graph, name);
  const written = serializeDesignFile(file);
  if (typeof values.out === 'string') {
    await io.fs.makeDir(dirname(resolve(values.out)));
    await io.fs.writeBytes(values.out, written);
    io.err(`Imported ${basename(path)} (the model "${name}", ${graph.nodes.length} nodes) as ${values.out}.`);
  } else io.out(written.trimEnd());
  return values['topology-only'] === true ? 0 : keepWeights(path, text, imported.value, file, values, io);
};

/** `import WEIGHTS.pth --graph G`: a PyTorch state_dict into the design G, tested and kept as a run. */
async function importStateDict(path: string, values: Values, io: CliIo): Promise<number> {
  if (typeof values.graph !== 'string')
    throw new UsageError(`give the design its weights go into: import ${path} --graph FILE|template:ID`);
  const file = await load([values.graph], values, io);
  if (!file) return 1;
  const state = await readStateDictFile(path);
  if (!state.ok) {
    io.err(`blockwise: ${path}: ${state.error}`);
    return 1;
  }
  const toGraph = stateDictLoader(file.graph, state.value);
  return keepRun(path, file, { load: toGraph, from: basename(path) }, values, io);
}

/** The model's weights, read from beside it and kept as a tested run; 0 when it has none. */
async function keepWeights(
  path: string,
  text: string,
  imported: ImportedModel,
  file: GraphFile,
  values: Values,
  io: CliIo,
): Promise<number> {
  const names = weightFileNames(text);
  if (!names.ok || names.value.length === 0) {
    if (!names.ok) io.err(`blockwise: ${path}: its weights were not read: ${names.error}.`);
    return names.ok ? 0 : 1;
  }
  const folder = dirname(path);
  const missing = [];
  for (const n of names.value) if (!(await io.fs.exists(join(folder, n)))) missing.push(n);
  // The graph alone is what was asked for when the weights were left behind: said, not failed.
  if (missing.length) {
    io.err(`Imported without weights: ${missing.join(', ')} is not beside ${basename(path)}.`);
    return 0;
  }
  const weightsBin = joinedWeights(
    await Promise.all(names.value.map((n) => io.fs.readBytes(join(folder, n)))),
  );
  const toGraph = tfjsWeightsLoader({ modelJson: text, weightsBin }, imported.weightSources);
  return keepRun(path, file, { load: toGraph, from: basename(path) }, values, io);
}

/** Imported weights tested on the dataset and kept as a run of no epochs. */
async function keepRun(
  path: string,
  file: GraphFile,
  imported: ImportedWeights,
  values: Values,
  io: CliIo,
): Promise<number> {
  const setup = await trainingSetup(values, io);
  if (!setup) return 1;
  const compiled = compileGraph(file.graph);
  const notKept = (why: string) => {
    const topology = STATE_DICT_FILE.test(path) ? '' : ' (or import with --topology-only)';
    io.err(`blockwise: ${path}: the weights were not kept as a run: ${why}${topology}.`);
    return 1;
  };
  if (!compiled.ok) return notKept(compiled.error.message);
  try {
    const { data, config, backend } = setup;
    const { record, files, note } = await importedRunFiles(file, compiled.value, imported, {
      data,
      config,
      backend: backend.name,
      threads: backend.threads,
    });
    const out = defaultRunFolder({ out: values.run }, file.meta.name, new Date());
    await io.fs.replaceFolder(out, files);
    if (note) io.err(`Note: ${note}.`);
    io.err(
      `Kept its weights as the run ${out}/: test accuracy ${record.test.accuracy.toFixed(4)} on ${data.name} (${describeBackend(backend)}); train on from them with: blockwise train ${join(out, 'graph.blockwise.json')} --resume ${out} --epochs N (or --start-from ${out} --freeze features: only the head trains)`,
    );
    return 0;
  } catch (e) {
    if (e instanceof TrainingError) return notKept(e.message);
    throw e;
  } finally {
    compiled.value.model.dispose();
  }
}

export const importCommands: Record<string, CommandSpec> = {
  import: {
    run: importCommand,
    options: [
      'out',
      'run',
      'topology-only',
      'graph',
      ...LOADED_OPTIONS,
      ...DATA_OPTIONS,
      'resize',
      'normalize',
    ],
  },
};
