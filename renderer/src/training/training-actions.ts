import { variantsFile } from '../../../shared/graph/file-format.ts';
import { parseDesignFile, serializeDesignFile } from '../../../shared/blocks/design-file.ts';
import type { SaveRunRequest } from '../../../shared/api/designer-api.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import type { KeptRun } from '../../../shared/train/run-record.ts';
import { toBase64 } from '../host/download.ts';
import { trainConfigSchema } from '../../../shared/train/train-config.ts';
import {
  trainEventSchema,
  type TrainEvent,
  type TrainRequest,
} from '../../../shared/worker/worker-protocol.ts';
import { hostApi } from '../host/host-api.ts';
import { useDocument } from '../document/document-store.ts';
import { currentRecipe } from '../document/recipe.ts';
import { applyEvent, freshRun, useTraining, type MachineSettings, type RunView } from './training-store.ts';
import { configFor, fitOf, designToTrain, type DesignToTrain } from './design-fit.ts';
import { runFile, documentPlace, loadRuns } from './kept-runs.ts';

let worker: Worker | null = null;

const training = () => useTraining.getState();

/** Updates the run the panel shows (nothing when none is). */
const setRun = (update: (run: RunView) => RunView) => {
  const run = training().run;
  if (run) useTraining.setState({ run: update(run) });
};

/** Where this machine trains: the panel's, not the document's (another document keeps it). */
export const setMachine = (patch: Partial<MachineSettings>) =>
  useTraining.setState((s) => ({ machine: { ...s.machine, ...patch } }));

type StartRequest = Extract<TrainRequest, { kind: 'start' }>;

/**
 * Starts a run of the open document's graph (a snapshot: later edits do not touch it) in a new worker;
 * `startFrom`: a kept run's model, whose weights it starts from where the layers match; `imported`: an
 * imported model's weights, tested and kept as a run of no epochs. False when the design does not fit the data.
 */
export function startTraining(
  weights: Pick<StartRequest, 'startFrom' | 'imported'> = {},
  design: DesignToTrain = designToTrain(),
): boolean {
  const { datasetId, machine } = training();
  const fit = fitOf(design.graph);
  if (fit.problems.length) return false;
  launch(
    {
      kind: 'start',
      graphText: serializeDesignFile(
        variantsFile([{ name: design.name, graph: design.graph, id: design.variantId }], 0, design.name),
      ),
      config: configFor(fit.resize),
      dataset: { id: datasetId },
      ...machine,
      ...weights,
    },
    design.graph,
  );
  return true;
}

/** The designs still to train one after another (as they were when queued: later edits do not touch them). */
let queued: DesignToTrain[] = [];

/** Trains each design in turn with the panel's recipe, in the training worker; the queue can be stopped. */
export function trainEach(designs: DesignToTrain[]): void {
  queued = [...designs];
  useTraining.setState({ open: true, queue: { names: designs.map((d) => d.name), done: 0 } });
  nextInQueue();
}

function nextInQueue(): void {
  const design = queued.shift();
  const queue = training().queue;
  if (!design || !queue) return useTraining.setState({ queue: null });
  useTraining.setState({ queue: { ...queue, done: queue.names.length - queued.length - 1 } });
  if (startTraining({}, design)) return;
  useDocument.getState().notify({
    kind: 'error',
    text: `“${design.name}” does not fit the chosen data (see its problems); the queue went on without it.`,
  });
  nextInQueue();
}

/** Ends the queue: the run under way stops after its current batch and is kept; the rest are not started. */
export function stopQueue(): void {
  queued = [];
  useTraining.setState({ queue: null });
  stopTraining();
}

/** A new run of the open design starting from a kept run's weights (set Freeze to retrain the head only). */
export async function startFromRun(kept: KeptRun): Promise<void> {
  try {
    const [modelJson, weights] = await Promise.all([
      runFile(kept.id, 'model.json'),
      runFile(kept.id, 'weights.bin'),
    ]);
    startTraining({ startFrom: { modelJson: String(modelJson), weights: weights as Uint8Array } });
  } catch (e) {
    useDocument
      .getState()
      .notify({ kind: 'error', text: `Could not start from run ${kept.id}: ${(e as Error).message}.` });
  }
}

/** A run in its own worker; the page hears it through checked messages only. */
function launch(request: StartRequest, graph: Graph): void {
  worker?.terminate();
  useTraining.setState({ run: freshRun(graph, request.config.epochs, documentPlace()), shownRun: null });
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
  const imported = request.imported;
  const importedBytes = imported && ('weights' in imported ? imported.weights : imported.torchState.values);
  const bytes = [request.resume, request.startFrom?.weights, importedBytes].filter(
    (b): b is Uint8Array => b !== undefined,
  );
  started.postMessage(
    request,
    bytes.map((b) => b.buffer as ArrayBuffer),
  );
}

/**
 * Goes on with a kept run from where it stopped: its own graph and recipe, up to the epochs the panel now
 * says (more than it has done), from its checkpoint; a new run is kept beside it.
 */
export async function continueRun(kept: KeptRun): Promise<void> {
  const { record } = kept;
  const { epochs } = currentRecipe();
  const { machine } = training();
  const done = record.epochs.length;
  const notify = useDocument.getState().notify;
  if (epochs <= done)
    return notify({
      kind: 'error',
      text: `Run ${kept.id} has done ${done} epoch(s): set Epochs above ${done} to continue it.`,
    });
  try {
    const [graphText, checkpoint] = await Promise.all([
      runFile(kept.id, 'graph.blockwise.json'),
      runFile(kept.id, 'checkpoint.bin'),
    ]);
    const file = parseDesignFile(String(graphText));
    if (!file.ok) throw new Error(file.error.message);
    launch(
      {
        kind: 'start',
        graphText: String(graphText),
        config: trainConfigSchema.parse({ ...record.config, epochs }),
        dataset: { id: training().datasetId },
        ...machine,
        resume: checkpoint as Uint8Array,
      },
      file.value.graph,
    );
  } catch (e) {
    notify({ kind: 'error', text: `Run ${kept.id} cannot be continued: ${(e as Error).message}.` });
  }
}

async function onEvent(event: TrainEvent): Promise<void> {
  setRun((run) => applyEvent(run, event));
  if (event.kind === 'error') {
    finishWorker();
    endQueue();
  }
  if (event.kind === 'done') {
    finishWorker();
    await keepRun(event.files);
  }
}

function finishWorker(): void {
  worker?.terminate();
  worker = null;
}

/** The run's files go to the host, which keeps them beside the document; then the list is read again. */
async function keepRun(files: Record<string, string | Uint8Array>): Promise<void> {
  // The run's own document, wherever it is now: saved since it started, its runs went beside it.
  const origin = training().run?.document;
  const open = documentPlace();
  const { path, draft } = origin && origin.draft !== open.draft ? origin : open;
  const encoded = Object.fromEntries(
    Object.entries(files).map(([file, data]) => [
      file,
      typeof data === 'string' ? { text: data } : { base64: toBase64(data) },
    ]),
  ) as SaveRunRequest['files'];
  try {
    const saved = await hostApi.saveRun({ documentPath: path, draft, files: encoded });
    setRun((run) => ({ ...run, status: 'done', text: `Kept as run ${saved.id}`, savedAs: saved.id }));
    await loadRuns();
    nextInQueue();
  } catch (e) {
    setRun((run) => ({
      ...run,
      status: 'error',
      text: `The run finished but could not be kept: ${(e as Error).message}`,
    }));
  }
}

/** A failed or cancelled run ends its queue: the user sees why before anything else starts. */
function endQueue(): void {
  queued = [];
  useTraining.setState({ queue: null });
}

const send = (request: TrainRequest) => worker?.postMessage(request);

export const pauseTraining = () => send({ kind: 'pause' });

export const resumeTraining = () => send({ kind: 'resume' });

/** Stops after the current batch, keeping what was trained: the run is still tested and kept. */
export const stopTraining = () => send({ kind: 'stop' });

/** Ends the worker at once: nothing of the run is kept. */
export function cancelTraining(): void {
  endQueue();
  finishWorker();
  setRun((run) => ({ ...run, status: 'cancelled', text: 'Cancelled: nothing of this run was kept.' }));
}

/**
 * What the Train panel shows follows the open document: another one opened lets go of the last one's run
 * and the kept run shown (a run still under way goes on, and is kept beside the document it came from).
 */
export function followDocument(): () => void {
  return useDocument.subscribe((s, before) => {
    if (s.documentId === before.documentId) return;
    const { run } = training();
    const underWay = run !== null && worker !== null;
    useTraining.setState({ shownRun: null, runs: [], ...(underWay ? {} : { run: null }) });
  });
}
