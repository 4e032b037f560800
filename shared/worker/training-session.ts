import { util } from '@tensorflow/tfjs-core';
import { compileGraph } from '../compile/compile-graph.ts';
import { CLASS_NAMES_FILE, parseClassNames, type Dataset } from '../data/dataset.ts';
import type { Gunzip } from '../data/gzip.ts';
import { IDX_FILES, idxDataset, readIdxFile, type IdxFiles } from '../data/idx-dataset.ts';
import type { Graph } from '../graph/document.ts';
import { parseDesignFile } from '../blocks/design-file.ts';
import { decodeCheckpoint } from '../train/checkpoint-file.ts';
import { runFiles } from '../train/run-files.ts';
import { inferenceSamplesPerSecond, stepMilliseconds } from '../train/step-timing.ts';
import { pytorchProjectOfRun } from '../export/pytorch/run-to-pytorch.ts';
import { transferWeights } from '../train/transfer.ts';
import { importedRunFiles, tfjsWeightsLoader, type ImportedWeights } from '../train/imported-run.ts';
import { readStateDictFiles } from '../export/pytorch/state-dict-files.ts';
import { stateDictLoader } from '../export/pytorch/state-dict-import.ts';
import { trainModel, type BatchEvent, type TrainHooks } from '../train/train-loop.ts';
import {
  trainRequestSchema,
  type TrainEvent,
  type TrainingBackendChoice,
  type TrainRequest,
} from './worker-protocol.ts';
import type { BackendPlan } from './backend-choice.ts';

/** What the training worker's thread gives a session: its messages out, the dataset's files, a backend. */
export interface SessionHost {
  post(event: TrainEvent): void;
  /** A catalogue dataset's file as served by the host, or null when it has none of that name. */
  readDatasetFile(id: string, name: string): Promise<Uint8Array | null>;
  /** The platform's native gunzip, for the dataset files served gzipped. */
  gunzip: Gunzip;
  /** The backends to try for a choice, in order (WebGL first under `auto` only on a real GPU), and why. */
  backendsToTry(choice: TrainingBackendChoice): BackendPlan;
  /** Starts one backend; throws, saying why, when it cannot. */
  startBackend(name: BackendCandidate, threads: number): Promise<StartedBackend>;
}

type BackendCandidate = BackendPlan['order'][number];
type StartedBackend = { name: string; device: string; threads: number };
/** A backend started for a run, and why `auto` chose it (null when the user named it). */
type ChosenBackend = StartedBackend & { why: string | null };
type ImportedRequest = NonNullable<Extract<TrainRequest, { kind: 'start' }>['imported']>;

/** Metrics leave the worker at most this often: the page redraws its charts, not every batch. */
const PROGRESS_EVERY_MS = 100;

class Unusable extends Error {}

/**
 * A dataset the host offers, read through it: each IDX file gzipped if the host has it so, else raw (the
 * host serves image folders and CSVs as IDX files too), and its class names when it has them (else the
 * classes are numbered from the labels).
 */
async function loadDataset(host: SessionHost, id: string): Promise<Dataset> {
  const files: Partial<IdxFiles> = {};
  for (const key of Object.keys(IDX_FILES) as (keyof IdxFiles)[]) {
    const read = await readIdxFile((name) => host.readDatasetFile(id, name), IDX_FILES[key], host.gunzip);
    if (!read.ok) throw new Unusable(read.error);
    files[key] = read.value;
  }
  const classes = parseClassNames(await host.readDatasetFile(id, CLASS_NAMES_FILE));
  const data = idxDataset(files as IdxFiles, id === 'fashion-mnist' ? 'Fashion-MNIST' : id, classes);
  if (!data.ok) throw new Unusable(data.error.message);
  return data.value;
}

/** Per-batch points gathered between two progress messages. */
class ProgressBuffer {
  private points: { step: number; loss: number; accuracy: number; lr: number }[] = [];
  private last = 0;
  private step = 0;

  constructor(private readonly post: (e: TrainEvent) => void) {}

  add(e: BatchEvent): void {
    this.step += 1;
    this.points.push({ step: this.step, loss: e.loss, accuracy: e.accuracy, lr: e.lr });
    if (util.now() - this.last >= PROGRESS_EVERY_MS) this.flush(e);
  }

  flush(e: BatchEvent | null): void {
    if (!e || this.points.length === 0) return;
    const column = (k: 'step' | 'loss' | 'accuracy' | 'lr') => Float32Array.from(this.points, (p) => p[k]);
    this.post({
      kind: 'progress',
      epoch: e.epoch,
      batch: e.batch,
      batches: e.batches,
      samplesPerSec: e.samplesPerSec,
      etaSeconds: e.etaSeconds,
      step: column('step'),
      loss: column('loss'),
      accuracy: column('accuracy'),
      lr: column('lr'),
    });
    this.points = [];
    this.last = util.now();
  }
}

/** One design's inference samples/s on the current backend, or why it cannot run. */
async function measureOne(graphText: string, batch: number) {
  const file = parseDesignFile(graphText);
  if (!file.ok) return { samplesPerSec: null, problem: file.error.message };
  const compiled = compileGraph(file.value.graph);
  if (!compiled.ok) return { samplesPerSec: null, problem: compiled.error.message };
  try {
    return { samplesPerSec: await inferenceSamplesPerSecond(compiled.value, batch), problem: null };
  } catch (e) {
    return { samplesPerSec: null, problem: (e as Error).message };
  } finally {
    compiled.value.model.dispose();
  }
}

/** What a start request runs on: the request, its graph file compiled, the data and the started backend. */
interface StartContext {
  r: Extract<TrainRequest, { kind: 'start' }>;
  file: Parameters<typeof runFiles>[0];
  compiled: Parameters<typeof runFiles>[1];
  data: Dataset;
  backend: ChosenBackend;
}

/**
 * One training run inside the worker: the same loop, data decoders and run files as the CLI's. The UI
 * talks to it only through checked messages; stop keeps what was trained and still writes the run.
 */
export class TrainingSession {
  private readonly stop = { aborted: false };
  private resume: (() => void) | null = null;
  private pausedAt: Promise<void> | null = null;
  private running = false;

  constructor(private readonly host: SessionHost) {}

  /** One message from the UI; one that does not fit the protocol is answered with an error. */
  handle(message: unknown): void {
    const request = trainRequestSchema.safeParse(message);
    if (!request.success) {
      this.host.post({
        kind: 'error',
        message: `The training worker got a malformed message: ${request.error.issues[0]?.message}`,
      });
      return;
    }
    const r = request.data;
    if (r.kind === 'start') void this.start(r);
    else if (r.kind === 'exportPytorch') void this.exportPytorch(r);
    else if (r.kind === 'measureInference') void this.measureInference(r);
    else if (r.kind === 'stop') this.end();
    else if (r.kind === 'pause') this.pause();
    else this.unpause();
  }

  /** A kept run as a PyTorch project, on the cpu backend (the model runs once, for verify.py's data). */
  private async exportPytorch(r: Extract<TrainRequest, { kind: 'exportPytorch' }>): Promise<void> {
    try {
      await this.host.startBackend('cpu', 1);
      const project = pytorchProjectOfRun(r);
      this.host.post(
        project.ok
          ? { kind: 'exported', files: project.value }
          : { kind: 'error', message: `Cannot export to PyTorch: ${project.error.message}` },
      );
    } catch (e) {
      this.host.post({ kind: 'error', message: `Cannot export to PyTorch: ${(e as Error).message}` });
    }
  }

  /** Each design's inference speed on the backend asked (`auto`: the first that starts), one after another. */
  private async measureInference(r: Extract<TrainRequest, { kind: 'measureInference' }>): Promise<void> {
    try {
      const backend = await this.startFirst(this.host.backendsToTry(r.backend).order, r.threads);
      const results = [];
      for (const text of r.graphTexts) results.push(await measureOne(text, r.batch));
      this.host.post({ kind: 'measured', backend: backend.name, results });
    } catch (e) {
      this.host.post({ kind: 'error', message: `Cannot measure the speed: ${(e as Error).message}` });
    }
  }

  private pause(): void {
    if (this.pausedAt || !this.running) return;
    this.pausedAt = new Promise((resolve) => (this.resume = resolve));
    this.host.post({ kind: 'paused', paused: true });
  }

  private unpause(): void {
    if (!this.pausedAt) return;
    this.resume?.();
    this.pausedAt = null;
    this.host.post({ kind: 'paused', paused: false });
  }

  private end(): void {
    this.stop.aborted = true;
    this.unpause();
  }

  private async start(r: Extract<TrainRequest, { kind: 'start' }>): Promise<void> {
    if (this.running) return this.host.post({ kind: 'error', message: 'This worker is already training.' });
    this.running = true;
    try {
      const file = parseDesignFile(r.graphText);
      if (!file.ok) throw new Unusable(`The graph cannot be read: ${file.error.message}`);
      this.host.post({
        kind: 'status',
        text: `Reading ${r.dataset.id === 'fashion-mnist' ? 'Fashion-MNIST' : r.dataset.id}…`,
      });
      const data = await loadDataset(this.host, r.dataset.id);
      this.host.post({ kind: 'status', text: 'Starting the backend…' });
      const backend = await this.chooseBackend(r, file.value.graph);
      const compiled = compileGraph(file.value.graph);
      if (!compiled.ok) throw new Unusable(compiled.error.message);
      try {
        const context = { r, file: file.value, compiled: compiled.value, data, backend };
        await (r.imported ? this.testImported(r.imported, context) : this.train(context));
      } finally {
        compiled.value.model.dispose();
      }
    } catch (e) {
      this.host.post({ kind: 'error', message: (e as Error).message });
    } finally {
      this.running = false;
    }
  }

  /**
   * The backend to train on: the one named, or under `auto` the first that starts; on a real GPU `auto`
   * times a few training steps on WebGL and on wasm and keeps the faster (wasm wins on small networks).
   */
  private async chooseBackend(
    r: Extract<TrainRequest, { kind: 'start' }>,
    graph: Graph,
  ): Promise<ChosenBackend> {
    const { order: names, why } = this.host.backendsToTry(r.backend);
    if (r.backend === 'auto' && names[0] === 'webgl' && names.includes('wasm')) {
      const timed: { name: BackendCandidate; ms: number }[] = [];
      for (const name of ['webgl', 'wasm'] as const) {
        const ms = await this.timeOn(name, r, graph);
        if (ms !== null) timed.push({ name, ms });
      }
      const best = [...timed].sort((a, b) => a.ms - b.ms)[0];
      if (best) {
        const timing = `${timed.map((t) => `${t.name} ${t.ms.toFixed(0)} ms`).join(', ')} per batch`;
        this.host.post({ kind: 'status', text: `${timing}: training on ${best.name}.` });
        const started = await this.host.startBackend(best.name, r.threads);
        return { ...started, why: `${timing}: ${best.name} is faster here` };
      }
    }
    const started = await this.startFirst(names, r.threads);
    // Under auto, a backend that did not start is part of why another was chosen.
    const skipped = names.slice(0, names.indexOf(started.name as BackendCandidate));
    const fellBack = skipped.length ? `; ${skipped.join(', ')} did not start` : '';
    return { ...started, why: why && why + fellBack };
  }

  /** The first of the backends that starts. */
  private async startFirst(names: readonly BackendCandidate[], threads: number): Promise<StartedBackend> {
    const tried: string[] = [];
    for (const name of names) {
      try {
        return await this.host.startBackend(name, threads);
      } catch (e) {
        tried.push(`${name}: ${(e as Error).message}`);
      }
    }
    throw new Unusable(`No backend could start (${tried.join('; ')}).`);
  }

  /** Milliseconds per training step of this graph on one backend, or null when it does not start. */
  private async timeOn(name: BackendCandidate, r: Extract<TrainRequest, { kind: 'start' }>, graph: Graph) {
    try {
      await this.host.startBackend(name, r.threads);
    } catch {
      return null;
    }
    const compiled = compileGraph(graph);
    if (!compiled.ok) throw new Unusable(compiled.error.message);
    try {
      return await stepMilliseconds(compiled.value, Math.min(r.config.batchSize, 64));
    } finally {
      compiled.value.model.dispose();
    }
  }

  private async train({ r, file, compiled, data, backend }: StartContext): Promise<void> {
    const startedAt = new Date();
    const progress = new ProgressBuffer((e) => this.host.post(e));
    let lastBatch: BatchEvent | null = null;
    let lastPass = 0;
    const hooks: TrainHooks = {
      signal: this.stop,
      whilePaused: () => this.pausedAt ?? Promise.resolve(),
      onStart: ({ batchesPerEpoch }) => this.postStarted(data, backend, batchesPerEpoch),
      onBatchEnd: (e) => {
        lastBatch = e;
        progress.add(e);
      },
      onEpochEnd: ({ evalSplit, ...metrics }) => {
        progress.flush(lastBatch);
        this.host.post({ kind: 'epoch', metrics, evalSplit });
      },
      onEvaluationBatch: (e) => {
        // The training points still held go out first: the charts are whole when the page says "testing".
        progress.flush(lastBatch);
        // A pass's start and end always go out: the page says when testing starts and ends.
        if (e.done === 0 || e.done === e.total || util.now() - lastPass >= PROGRESS_EVERY_MS) {
          const etaSeconds = Number.isFinite(e.etaSeconds) ? e.etaSeconds : null;
          this.host.post({ kind: 'evaluating', ...e, etaSeconds });
          lastPass = util.now();
        }
      },
    };
    if (r.startFrom) this.startFrom(compiled, r.startFrom, hooks);
    if (r.resume) {
      const checkpoint = decodeCheckpoint(r.resume, 'checkpoint.bin');
      if (!checkpoint.ok) throw new Unusable(checkpoint.error);
      hooks.resumeFrom = checkpoint.value;
    }
    const result = await trainModel(compiled, data, r.config, hooks);
    progress.flush(lastBatch);
    const kept = await runFiles(file, compiled, result, {
      data,
      config: r.config,
      backend: backend.name,
      threads: backend.threads,
      startedAt,
    });
    this.postDone({ ...kept, result });
  }

  /** An imported model's weights, tested on the data and kept as a run of no epochs. */
  private async testImported(
    imported: ImportedRequest,
    { r, file, compiled, data, backend }: StartContext,
  ): Promise<void> {
    this.host.post({ kind: 'status', text: `Testing the weights of ${imported.from}…` });
    const kept = await importedRunFiles(
      file,
      compiled,
      { load: importedWeightsLoader(imported, file.graph), from: imported.from },
      { data, config: r.config, backend: backend.name, threads: backend.threads },
      {
        signal: this.stop,
        onStart: ({ batchesPerEpoch }) => this.postStarted(data, backend, batchesPerEpoch),
      },
    );
    this.postDone(kept);
  }

  /** Another run's weights where the layers match (the recipe says which layers stay fixed). */
  private startFrom(
    compiled: Parameters<typeof runFiles>[1],
    from: NonNullable<Extract<TrainRequest, { kind: 'start' }>['startFrom']>,
    hooks: TrainHooks,
  ): void {
    const took = transferWeights(compiled, { modelJson: from.modelJson, weightsBin: from.weights });
    if (took.length === 0)
      throw new Unusable(
        'No layer of this network matches the run it should start from (same names and shapes).',
      );
    hooks.keepInitialWeights = true;
    this.host.post({ kind: 'status', text: `Starting from trained weights in ${took.length} layer(s)…` });
  }

  /** The run's record and files, and the predicted class of every test image, to the page. */
  private postDone({
    record,
    files,
    result,
  }: Omit<Awaited<ReturnType<typeof importedRunFiles>>, 'note'>): void {
    this.host.post({ kind: 'done', record: { ...record }, predictions: result.test.predictions, files });
  }

  private postStarted(data: Dataset, backend: ChosenBackend, batches: number) {
    this.host.post({
      kind: 'started',
      backend: backend.name,
      device: backend.device,
      threads: backend.threads,
      why: backend.why,
      dataset: { name: data.name, classes: data.classes, train: data.train.count, test: data.test.count },
      batchesPerEpoch: batches,
    });
  }
}

/** How an import's weights go into the compiled graph: a tfjs model's by its layers, a state_dict's by name. */
function importedWeightsLoader(imported: ImportedRequest, graph: Graph): ImportedWeights['load'] {
  if ('modelJson' in imported)
    return tfjsWeightsLoader(
      { modelJson: imported.modelJson, weightsBin: imported.weights },
      imported.weightSources,
    );
  const entries = readStateDictFiles(imported.torchState.index, imported.torchState.values);
  if (!entries.ok) throw new Unusable(`The weights of ${imported.from} cannot be read: ${entries.error}.`);
  return stateDictLoader(graph, entries.value);
}
