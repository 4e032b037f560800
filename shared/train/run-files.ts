import type { CompiledGraph } from '../compile/compile-graph.ts';
import type { Dataset } from '../data/dataset.ts';
import { modelToFiles, WEIGHTS_FILE } from '../compile/tfjs-artifacts.ts';
import type { RunFileName } from './run-file-names.ts';
import { type GraphFile } from '../graph/file-format.ts';
import { serializeDesignFile } from '../blocks/design-file.ts';
import { encodeCheckpoint } from './checkpoint-file.ts';
import { graphHash } from '../graph/graph-hash.ts';
import { runRecord, type RunRecord } from './run-record.ts';
import type { TrainConfig } from './train-config.ts';
import type { TrainResult } from './train-loop.ts';

export type RunFiles = Record<RunFileName, Uint8Array | string>;

/** The id of the variant a run's graph file is, when it names one. */
const variantOf = (file: GraphFile) => {
  const id = file.meta.variant?.id;
  return id === undefined ? {} : { variant: id };
};

/** What a finished (or stopped) training leaves: its record, and every file of its run folder. */
export async function runFiles(
  file: GraphFile,
  compiled: CompiledGraph,
  result: TrainResult,
  meta: {
    data: Dataset;
    config: TrainConfig;
    backend: string;
    threads: number;
    startedAt: Date;
    importedFrom?: string;
  },
): Promise<{ record: RunRecord; files: RunFiles }> {
  const { data } = meta;
  const record = runRecord(result, {
    graph: { name: file.meta.name, hash: graphHash(file.graph), ...variantOf(file) },
    dataset: { name: data.name, classes: data.classes, train: data.train.count, test: data.test.count },
    config: meta.config,
    backend: meta.backend,
    threads: meta.threads,
    startedAt: meta.startedAt,
    ...(meta.importedFrom ? { importedFrom: meta.importedFrom } : {}),
  });
  const model = await modelToFiles(compiled.model);
  return {
    record,
    files: {
      'run.json': `${JSON.stringify(record, null, 2)}\n`,
      'model.json': model.modelJson,
      [WEIGHTS_FILE]: model.weightsBin,
      'checkpoint.bin': encodeCheckpoint(result.checkpoint),
      'graph.blockwise.json': serializeDesignFile(file),
    },
  };
}
