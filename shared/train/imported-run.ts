import type { CompiledGraph } from '../compile/compile-graph.ts';
import type { Dataset } from '../data/dataset.ts';
import type { ModelFiles } from '../compile/tfjs-artifacts.ts';
import type { GraphFile } from '../graph/file-format.ts';
import { runFiles } from './run-files.ts';
import type { TrainConfig } from './train-config.ts';
import { trainModel, TrainingError, type TrainHooks, type TrainResult } from './train-loop.ts';
import { loadImportedWeights } from '../import/imported-weights.ts';
import { success, type Result } from '../result.ts';

/** An imported model's weights: how they go into the compiled graph, and the file they came from. */
export interface ImportedWeights {
  /** Puts them in; answers what the user should hear beyond "loaded" ('' for nothing), or why they do not fit. */
  load(compiled: CompiledGraph): Result<string, string>;
  /** The model file they came from, as the run names it. */
  from: string;
}

/** A tfjs model's weights as an import loads them, with the node each layer became (from importKerasModel). */
export const tfjsWeightsLoader =
  (files: ModelFiles, weightSources: Readonly<Record<string, string>>) =>
  (compiled: CompiledGraph): Result<string, string> => {
    const loaded = loadImportedWeights(compiled, weightSources, files);
    return loaded.ok ? success('') : loaded;
  };

/**
 * An imported model's weights kept as a run: loaded into the compiled graph, tested on the data, and written
 * as a run of no epochs (its checkpoint starts a training from them). The same run folder as a training's, so
 * the runs list, compare, export and resume take it as they are. Throws TrainingError when the weights or the
 * data do not fit.
 */
export async function importedRunFiles(
  file: GraphFile,
  compiled: CompiledGraph,
  imported: ImportedWeights,
  meta: { data: Dataset; config: TrainConfig; backend: string; threads: number },
  hooks: Pick<TrainHooks, 'signal' | 'onStart'> = {},
): Promise<Awaited<ReturnType<typeof runFiles>> & { result: TrainResult; note: string }> {
  const loaded = imported.load(compiled);
  if (!loaded.ok)
    throw new TrainingError(
      'incompatibleData',
      `The weights of ${imported.from} do not fit: ${loaded.error}.`,
    );
  const startedAt = new Date();
  const config = { ...meta.config, epochs: 0 };
  const result = await trainModel(compiled, meta.data, config, { ...hooks, keepInitialWeights: true });
  const kept = await runFiles(file, compiled, result, {
    ...meta,
    config,
    startedAt,
    importedFrom: imported.from,
  });
  return { ...kept, result, note: loaded.value };
}
