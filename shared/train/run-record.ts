import type { TrainConfig } from './train-config.ts';
import type { EpochMetrics, TrainResult } from './train-loop.ts';

/** What a training run leaves behind (run.json): enough to compare runs and to repeat one. */
export interface RunRecord {
  format: 'blockwise/run';
  formatVersion: 1;
  graph: { name: string; hash: string };
  dataset: { name: string; classes: string[]; train: number; test: number };
  config: TrainConfig;
  backend: string;
  /** Threads the backend computed on (wasm); 1 for the others. */
  threads: number;
  epochs: EpochMetrics[];
  evalSplit: 'validation' | 'test';
  test: { loss: number; accuracy: number; confusion: number[][]; samplesPerSec: number };
  bestEpoch: number | null;
  stoppedBy: TrainResult['stoppedBy'];
  startedAt: string;
  seconds: number;
  /** Set on a run that trained nothing here: another tool's weights, imported and tested (the model file). */
  importedFrom?: string;
}

export function runRecord(
  result: TrainResult,
  meta: {
    graph: RunRecord['graph'];
    dataset: RunRecord['dataset'];
    config: TrainConfig;
    backend: string;
    threads: number;
    startedAt: Date;
    importedFrom?: string;
  },
): RunRecord {
  const { loss, accuracy, confusion, samplesPerSec } = result.test;
  return {
    format: 'blockwise/run',
    formatVersion: 1,
    ...meta,
    startedAt: meta.startedAt.toISOString(),
    epochs: result.history,
    evalSplit: result.evalSplit,
    test: { loss, accuracy, confusion, samplesPerSec },
    bestEpoch: result.bestEpoch,
    stoppedBy: result.stoppedBy,
    seconds: result.seconds,
  };
}

/** A run folder's time stamp, sortable and file-name safe: 20261128-063912 (UTC). */
export const runStamp = (d: Date): string =>
  d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
