import { parseDesignFile } from '../blocks/design-file.ts';
import { compileGraph, type CompiledGraph } from '../compile/compile-graph.ts';
import type { GraphFile } from '../graph/file-format.ts';
import { failure, success, type Result } from '../result.ts';
import { parseRunRecordText, type RunRecord } from './run-record.ts';
import { transferWeights } from './transfer.ts';

/** A kept run's files, as the CLI reads them from its folder and the app through the host. */
export interface RunFiles {
  graphText: string;
  runJson: string;
  modelJson: string;
  weights: Uint8Array;
}

export interface KeptRunModel {
  file: GraphFile;
  record: RunRecord;
  /** The run's own graph compiled, with its trained weights: dispose its model when done. */
  compiled: CompiledGraph;
}

/**
 * A kept run as a model again: its own graph (the one its weights were trained for) compiled and given
 * its weights, each layer checked to have taken them. Refusals say which file or layer.
 */
export function keptRunModel(run: RunFiles): Result<KeptRunModel, string> {
  const file = parseDesignFile(run.graphText);
  if (!file.ok) return failure(`the run's graph.blockwise.json: ${file.error.message}`);
  const record = parseRunRecordText(run.runJson);
  if (!record.ok) return failure(`the run's run.json: ${record.error}`);
  const compiled = compileGraph(file.value.graph);
  if (!compiled.ok) return failure(compiled.error.message);
  const took = new Set(
    transferWeights(compiled.value, { modelJson: run.modelJson, weightsBin: run.weights }),
  );
  const untrained = compiled.value.model.layers.find((l) => l.weights.length > 0 && !took.has(l.name));
  if (untrained) {
    compiled.value.model.dispose();
    return failure(`the run's weights do not fit its graph (layer ${untrained.name})`);
  }
  return success({ file: file.value, record: record.value, compiled: compiled.value });
}
