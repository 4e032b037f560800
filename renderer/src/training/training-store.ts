import { create } from 'zustand';
import type { DatasetOffer, RunSummary } from '../../../shared/api/designer-api.ts';
import { FASHION_MNIST_CLASSES, type Labels } from '../../../shared/data/dataset.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import type { KeptRun, RunRecord } from '../../../shared/train/run-record.ts';
import type { EpochMetrics } from '../../../shared/train/epoch-metrics.ts';
import type { TrainEvent, TrainingBackendChoice } from '../../../shared/worker/worker-protocol.ts';

/** What the panel sets that is this machine's, not the document's: where training runs. */
export interface MachineSettings {
  backend: TrainingBackendChoice;
  threads: number;
}

export type RunStatus = 'preparing' | 'training' | 'paused' | 'saving' | 'done' | 'cancelled' | 'error';

/** The run the panel shows: the one under way, or the last one. */
export interface RunView {
  status: RunStatus;
  text: string;
  /** The graph this run trains: editing the canvas does not touch it. */
  graph: Graph;
  /** The document it was started from: it is kept beside that one, even if another opened since. */
  document: DocumentPlace;
  /** What the run trains on, and under `auto` why (null when the user named it). */
  backend: { name: string; device: string; threads: number; why: string | null } | null;
  classes: string[];
  epochs: number;
  progress: {
    epoch: number;
    batch: number;
    batches: number;
    samplesPerSec: number;
    etaSeconds: number;
  } | null;
  /** The evaluation pass under way (after an epoch, or the test pass at the end); null while batches train. */
  evaluating: Omit<Extract<TrainEvent, { kind: 'evaluating' }>, 'kind'> | null;
  series: { step: number[]; loss: number[]; accuracy: number[]; lr: number[] };
  epochMetrics: EpochMetrics[];
  record: RunRecord | null;
  /** The predicted class of each test image (this session's run only: kept runs have the matrix). */
  predictions: Labels | null;
  savedAs: string | null;
}

/** Fashion-MNIST as the host offers it, before the host was asked (it is always offered). */
export const FASHION_MNIST_OFFER: Extract<DatasetOffer, { shape: unknown }> = {
  id: 'fashion-mnist',
  name: 'Fashion-MNIST',
  shape: [1, 28, 28],
  classes: FASHION_MNIST_CLASSES,
  train: 60_000,
  test: 10_000,
};

interface TrainingState {
  open: boolean;
  /** The open panel takes the whole window (the canvas stays as it was under it). */
  fullWindow: boolean;
  /** The datasets the host offers, and the one chosen. */
  datasets: DatasetOffer[];
  datasetId: string;
  machine: MachineSettings;
  run: RunView | null;
  runs: RunSummary[];
  /** A kept run opened from the list: its record replaces the live run in the results. */
  shownRun: KeptRun | null;
  /** Designs trained one after another (Train each): their names, and how many are done. */
  queue: { names: string[]; done: number } | null;
}

const threadsDefault = Math.max(1, Math.min(16, navigator.hardwareConcurrency || 1));

export const useTraining = create<TrainingState>(() => ({
  open: false,
  fullWindow: false,
  datasets: [FASHION_MNIST_OFFER],
  datasetId: FASHION_MNIST_OFFER.id,
  machine: { backend: 'auto', threads: threadsDefault },
  run: null,
  runs: [],
  shownRun: null,
  queue: null,
}));

/** A new run's view, before the worker said anything. */
/** Where a document's runs are kept: beside its file, or while it has none, with its draft. */
export interface DocumentPlace {
  path: string | null;
  draft: string;
}

export const freshRun = (graph: Graph, epochs: number, document: RunView['document']): RunView => ({
  status: 'preparing',
  text: 'Starting the training worker…',
  graph,
  document,
  backend: null,
  classes: [],
  epochs,
  progress: null,
  evaluating: null,
  series: { step: [], loss: [], accuracy: [], lr: [] },
  epochMetrics: [],
  record: null,
  predictions: null,
  savedAs: null,
});

/** One event from the worker applied to the run's view (a pure step, so it is tested without a worker). */
export function applyEvent(run: RunView, e: TrainEvent): RunView {
  switch (e.kind) {
    case 'status':
      return { ...run, text: e.text };
    case 'started':
      return {
        ...run,
        status: 'training',
        text: `Training on ${e.dataset.name} (${e.dataset.train.toLocaleString('en-US')} images)`,
        backend: { name: e.backend, device: e.device, threads: e.threads, why: e.why },
        classes: e.dataset.classes,
      };
    case 'progress': {
      const { step, loss, accuracy, lr, kind: _kind, ...progress } = e;
      const s = run.series;
      return {
        ...run,
        progress,
        evaluating: null,
        series: {
          step: s.step.concat(Array.from(step)),
          loss: s.loss.concat(Array.from(loss)),
          accuracy: s.accuracy.concat(Array.from(accuracy)),
          lr: s.lr.concat(Array.from(lr)),
        },
      };
    }
    case 'evaluating': {
      const { kind: _kind, ...pass } = e;
      return { ...run, evaluating: pass };
    }
    case 'epoch':
      return { ...run, evaluating: null, epochMetrics: [...run.epochMetrics, e.metrics] };
    case 'paused':
      return { ...run, status: e.paused ? 'paused' : 'training' };
    case 'done':
      return {
        ...run,
        status: 'saving',
        text: 'Saving the run…',
        evaluating: null,
        record: e.record,
        predictions: e.predictions,
      };
    case 'error':
      return { ...run, status: 'error', text: e.message };
    // A PyTorch export's or a speed measurement's answer goes to its own worker's caller, never to a run.
    case 'exported':
    case 'measured':
      return run;
  }
}

/** The dataset chosen, when it can be used (the host may have found a problem with it). */
export function chosenDataset(s: Pick<TrainingState, 'datasets' | 'datasetId'>) {
  const offer = s.datasets.find((d) => d.id === s.datasetId);
  return offer && 'shape' in offer ? offer : null;
}
