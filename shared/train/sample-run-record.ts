import { trainConfigSchema } from './train-config.ts';
import type { RunRecord } from './run-record.ts';

/** A whole run record of one epoch, for tests that keep, list or read runs; `over` replaces its fields. */
export function sampleRunRecord(over: Partial<RunRecord> = {}): RunRecord {
  return {
    format: 'blockwise/run',
    formatVersion: 1,
    graph: { name: 'Net', hash: 'abc123' },
    dataset: { name: 'Fashion-MNIST', classes: ['a', 'b'], train: 4, test: 2 },
    config: trainConfigSchema.parse({}),
    backend: 'cpu',
    threads: 1,
    epochs: [
      {
        epoch: 1,
        trainLoss: 0.7,
        trainAccuracy: 0.5,
        evalLoss: 0.6,
        evalAccuracy: 0.5,
        lr: 0.1,
        seconds: 1,
        trainSamplesPerSec: 4,
      },
    ],
    evalSplit: 'test',
    test: {
      loss: 0.6,
      accuracy: 0.5,
      confusion: [
        [1, 0],
        [1, 0],
      ],
      samplesPerSec: 2,
    },
    bestEpoch: 1,
    stoppedBy: 'completed',
    startedAt: '2026-12-03T12:00:00.000Z',
    seconds: 1,
    ...over,
  };
}
