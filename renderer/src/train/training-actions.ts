import { graphFile, serializeGraphFile } from '../../../shared/graph/file-format.ts';
import type { SaveRunRequest } from '../../../shared/api/designer-api.ts';
import { dataFit } from '../../../shared/train/data-fit.ts';
import { trainConfigSchema } from '../../../shared/train/train-config.ts';
import {
  trainEventSchema,
  type TrainEvent,
  type TrainRequest,
} from '../../../shared/train/worker-protocol.ts';
import { hostApi } from '../host/host-api.ts';
import { inferenceOf, useDocument } from '../store/document-store.ts';
import { applyEvent, freshRun, useTraining, type TrainingSettings } from './training-store.ts';

/** Fashion-MNIST, the catalogue's default dataset: 1×28×28 images of ten classes. */
export const FASHION_MNIST_SHAPE = { shape: [1, 28, 28] as const, classes: 10 };

let worker: Worker | null = null;

const training = () => useTraining.getState();
const setRun = (update: (run: NonNullable<ReturnType<typeof training>['run']>) => typeof run) => {
  const run = training().run;
  if (run) useTraining.setState({ run: update(run) });
};

/** The whole recipe: the template's, with what the panel sets, and the resize the data needs. */
export function configFor(settings: TrainingSettings, resize: number | null) {
  const { recipe } = training();
  const optimizer =
    settings.optimizer === 'sgd'
      ? { kind: 'sgd' as const, momentum: settings.momentum, weightDecay: settings.weightDecay }
      : { kind: settings.optimizer, weightDecay: settings.weightDecay };
  const sameKind = recipe.optimizer?.kind === settings.optimizer;
  const augment = settings.flip || settings.cropPadding > 0;
  return trainConfigSchema.parse({
    ...recipe,
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    lr: settings.lr,
    optimizer: { ...(sameKind ? recipe.optimizer : {}), ...optimizer },
    schedule: { ...recipe.schedule, kind: settings.schedule },
    earlyStoppingPatience: settings.patience,
    augment: augment ? { ...recipe.augment, flip: settings.flip, cropPadding: settings.cropPadding } : null,
    validationFraction: settings.validationFraction,
    maxBatchesPerEpoch: settings.maxBatchesPerEpoch,
    seed: settings.seed,
    preprocess: { ...recipe.preprocess, resize },
  });
}

/** How the open document fits the data: the resize it needs and the problems, at their nodes. */
export function currentFit() {
  const graph = useDocument.getState().history.graph;
  return dataFit(graph, inferenceOf(graph), FASHION_MNIST_SHAPE);
}

/** Starts a run of the open document's graph (a snapshot: later edits do not touch it) in a new worker. */
export function startTraining(): void {
  const { history, name } = useDocument.getState();
  const { settings } = training();
  const fit = currentFit();
  if (fit.problems.length) return;
  worker?.terminate();
  const request: TrainRequest = {
    kind: 'start',
    graphText: serializeGraphFile(graphFile(history.graph, name)),
    config: configFor(settings, fit.resize),
    dataset: { id: 'fashion-mnist' },
    backend: settings.backend,
    threads: settings.threads,
  };
  useTraining.setState({ run: freshRun(history.graph, settings.epochs), shownRun: null });
  const started = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
  worker = started;
  started.onmessage = (e: MessageEvent<unknown>) => {
    const event = trainEventSchema.safeParse(e.data);
    if (!event.success)
      return setRun((run) => ({
        ...run,
        status: 'error',
        text: 'The training worker sent a malformed message.',
      }));
    void onEvent(event.data);
  };
  started.onerror = (e) =>
    setRun((run) => ({
      ...run,
      status: 'error',
      text: `The training worker failed: ${e.message || 'it could not start'}.`,
    }));
  started.postMessage(request);
}

async function onEvent(event: TrainEvent): Promise<void> {
  setRun((run) => applyEvent(run, event));
  if (event.kind === 'error') finishWorker();
  if (event.kind === 'done') {
    finishWorker();
    await keepRun(event.files);
  }
}

function finishWorker(): void {
  worker?.terminate();
  worker = null;
}

const base64 = (bytes: Uint8Array) => {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};

/** The run's files go to the host, which keeps them beside the document; then the list is read again. */
async function keepRun(files: Record<string, string | Uint8Array>): Promise<void> {
  const { path, name } = useDocument.getState();
  const encoded = Object.fromEntries(
    Object.entries(files).map(([file, data]) => [
      file,
      typeof data === 'string' ? { text: data } : { base64: base64(data) },
    ]),
  ) as SaveRunRequest['files'];
  try {
    const saved = await hostApi.saveRun({ documentPath: path, documentName: name, files: encoded });
    setRun((run) => ({ ...run, status: 'done', text: `Kept as run ${saved.id}`, savedAs: saved.id }));
    await loadRuns();
  } catch (e) {
    setRun((run) => ({
      ...run,
      status: 'error',
      text: `The run finished but could not be kept: ${(e as Error).message}`,
    }));
  }
}

/** The runs kept beside the open document. */
export async function loadRuns(): Promise<void> {
  const { path, name } = useDocument.getState();
  try {
    useTraining.setState({ runs: await hostApi.listRuns(path, name) });
  } catch {
    useTraining.setState({ runs: [] });
  }
}

const send = (request: TrainRequest) => worker?.postMessage(request);
export const pauseTraining = () => send({ kind: 'pause' });
export const resumeTraining = () => send({ kind: 'resume' });
/** Stops after the current batch, keeping what was trained: the run is still tested and kept. */
export const stopTraining = () => send({ kind: 'stop' });
/** Ends the worker at once: nothing of the run is kept. */
export function cancelTraining(): void {
  finishWorker();
  setRun((run) => ({ ...run, status: 'cancelled', text: 'Cancelled: nothing of this run was kept.' }));
}
