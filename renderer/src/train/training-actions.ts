import { graphFile, variantsFile } from '../../../shared/graph/file-format.ts';
import { parseDesignFile, serializeDesignFile } from '../../../shared/blocks/design-file.ts';
import type { DatasetOffer, SaveRunRequest } from '../../../shared/api/designer-api.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import type { RunFileName } from '../../../shared/train/run-file-names.ts';
import type { KeptRun } from '../../../shared/train/run-record.ts';
import { downloadFile, fromBase64, toBase64 } from '../host/download.ts';
import { dataFit } from '../../../shared/train/data-fit.ts';
import { trainingMemoryProblem } from '../../../shared/train/training-memory.ts';
import type { Diagnostic } from '../../../shared/shapes/diagnostic.ts';
import {
  trainConfigSchema,
  type TrainConfig,
  type TrainConfigInput,
} from '../../../shared/train/train-config.ts';
import {
  recipeField,
  recipeProblem,
  writeField,
  type RecipeField,
} from '../../../shared/train/recipe-fields.ts';
import {
  trainEventSchema,
  type TrainEvent,
  type TrainRequest,
} from '../../../shared/worker/worker-protocol.ts';
import type { Capture } from '../../../shared/document/design-document.ts';
import { hostApi } from '../host/host-api.ts';
import { deliverExport } from '../host/deliver-export.ts';
import { zipDataUrl } from './zip-data-url.ts';
import { currentVariants, inferenceOf, useDocument } from '../store/document-store.ts';
import {
  applyEvent,
  chosenDataset,
  freshRun,
  useTraining,
  type MachineSettings,
  type RunView,
  type DocumentPlace,
} from './training-store.ts';

let worker: Worker | null = null;

const training = () => useTraining.getState();
/** Updates the run the panel shows (nothing when none is). */
const setRun = (update: (run: RunView) => RunView) => {
  const run = training().run;
  if (run) useTraining.setState({ run: update(run) });
};

/** The document's recipe, checked: every field with its value or the schema's default (one per recipe). */
const checkedOf = new WeakMap<TrainConfigInput, TrainConfig>();
export function checkedRecipe(recipe: TrainConfigInput): TrainConfig {
  let config = checkedOf.get(recipe);
  if (!config) checkedOf.set(recipe, (config = trainConfigSchema.parse(recipe)));
  return config;
}

/** The open document's recipe, checked. */
export const currentRecipe = () => checkedRecipe(useDocument.getState().doc.recipe);

/** The whole recipe to train with: the document's, with the resize the data needs. */
export const configFor = (resize: number | null) =>
  trainConfigSchema.parse(writeField(useDocument.getState().doc.recipe, recipeField('resize'), resize));

/**
 * Sets one recipe field: a recipe edit of the document (undoable, and unsaved until saved) under the
 * field's label. A value the schema refuses is not taken: what is wrong comes back, in words, for the field.
 */
export function setRecipeField(
  field: RecipeField,
  value: unknown,
  capture: Capture = 'merge',
): string | null {
  const recipe = writeField(useDocument.getState().doc.recipe, field, value);
  const parsed = trainConfigSchema.safeParse(recipe);
  if (parsed.success) useDocument.getState().editRecipe(parsed.data, field.label, capture);
  return parsed.success ? null : recipeProblem(recipe)!.words;
}

/** Where this machine trains: the panel's, not the document's (another document keeps it). */
export const setMachine = (patch: Partial<MachineSettings>) =>
  useTraining.setState((s) => ({ machine: { ...s.machine, ...patch } }));

/** How a graph fits the chosen data: the resize it needs and the problems, at their nodes. */
function fitOf(graph: Graph) {
  const recipe = currentRecipe();
  const data = chosenDataset(training());
  if (!data) return { resize: null, problems: [] };
  const inference = inferenceOf(graph);
  const fit = dataFit(graph, inference, { shape: data.shape, classes: data.classes.length });
  const tooLarge = trainingMemoryProblem(inference.totals, recipe.batchSize, recipe.optimizer);
  if (!tooLarge) return fit;
  const problem: Diagnostic = { severity: 'error', code: 'tooLarge', message: tooLarge };
  return { ...fit, problems: [...fit.problems, problem] };
}

/** How the shown design fits the chosen data. */
export const currentFit = () => fitOf(useDocument.getState().history.graph);

/**
 * A design to train: its graph, the name its run records (the variant's, when there are several), and its
 * variant's id, which the run records so it belongs to that variant.
 */
export interface DesignToTrain {
  graph: Graph;
  name: string;
  variantId: string;
}

/** The shown design, or the variant at `index`. */
export function designToTrain(index?: number): DesignToTrain {
  const s = useDocument.getState();
  const variants = currentVariants(s);
  const v = variants[index ?? s.variant]!;
  return { graph: v.graph, name: variants.length > 1 ? v.name : s.name, variantId: v.id };
}

/** The datasets the host offers; the chosen one stays chosen while it is offered. */
export async function loadDatasets(): Promise<void> {
  try {
    offer(await hostApi.listDatasets());
  } catch {
    // Fashion-MNIST stays offered: the host says what is wrong with it when a run starts.
  }
}

/** The datasets the host offers now; the chosen one stays chosen while it is among them. */
function offer(datasets: DatasetOffer[]): void {
  useTraining.setState((s) => ({
    datasets,
    datasetId: datasets.some((d) => d.id === s.datasetId) ? s.datasetId : 'fashion-mnist',
  }));
}

/** Stops offering a dataset added from elsewhere (its folder stays); returns why not, as the host says it. */
export async function removeDataset(id: string): Promise<string | null> {
  try {
    offer(await hostApi.removeDataset(id));
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Adds a dataset folder and chooses it: the desktop app's dialog (no path), or the path the user typed in
 * browser mode. Returns why it was not added, as the host says it, or null (added, or cancelled).
 */
export async function addDataset(typedPath: string | null): Promise<string | null> {
  try {
    const offer = await hostApi.addDataset(typedPath);
    if (!offer) return null;
    await loadDatasets();
    useTraining.setState({ datasetId: offer.id });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

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
  const bytes = [request.resume, request.startFrom?.weights, request.imported?.weights].filter(
    (b): b is Uint8Array => b !== undefined,
  );
  started.postMessage(
    request,
    bytes.map((b) => b.buffer as ArrayBuffer),
  );
}

/** One file of a kept run of the open document, through the host. */
async function runFile(runId: string, file: RunFileName): Promise<string | Uint8Array> {
  const { path, draft } = documentPlace();
  const read = await hostApi.readRunFile({ documentPath: path, draft, runId, file });
  return 'text' in read ? read.text : fromBase64(read.base64);
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

/** A kept run's trained model as tfjs artifacts (model.json and weights.bin), downloaded. */
export async function exportWeights(kept: KeptRun): Promise<void> {
  const notify = useDocument.getState().notify;
  try {
    const [model, weights] = await Promise.all([
      runFile(kept.id, 'model.json'),
      runFile(kept.id, 'weights.bin'),
    ]);
    downloadFile('model.json', model, 'application/json');
    downloadFile('weights.bin', weights, 'application/octet-stream');
    notify({
      kind: 'info',
      text: `Downloaded model.json and weights.bin of run ${kept.id} (load with tf.loadLayersModel).`,
    });
  } catch (e) {
    notify({ kind: 'error', text: `Could not export run ${kept.id}: ${(e as Error).message}.` });
  }
}

/**
 * A kept run as a PyTorch project with its weights and verify.py, zipped. Made in a worker of its own:
 * the model runs once there (verify.py's data), off the page's thread.
 */
export async function exportRunToPytorch(kept: KeptRun): Promise<void> {
  const notify = useDocument.getState().notify;
  try {
    const text = async (file: RunFileName) => String(await runFile(kept.id, file));
    const weights = await runFile(kept.id, 'weights.bin');
    const files = await inOwnWorker(
      {
        kind: 'exportPytorch',
        graphText: await text('graph.blockwise.json'),
        runJson: await text('run.json'),
        modelJson: await text('model.json'),
        weights: typeof weights === 'string' ? new TextEncoder().encode(weights) : weights,
      },
      (e) => (e.kind === 'exported' ? e.files : undefined),
    );
    const name = useDocument.getState().name;
    await deliverExport(`${name} run ${kept.id} PyTorch`, 'zip', zipDataUrl(files));
  } catch (e) {
    notify({ kind: 'error', text: `Could not export run ${kept.id} to PyTorch: ${(e as Error).message}` });
  }
}

/**
 * Runs one request in a worker of its own: `answer` picks the event that ends it (an error ends it too).
 */
function inOwnWorker<T>(request: TrainRequest, answer: (event: TrainEvent) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const job = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
    const end = () => job.terminate();
    job.onerror = (e) => {
      end();
      reject(new Error(e.message));
    };
    job.onmessage = (e: MessageEvent<unknown>) => {
      const event = trainEventSchema.safeParse(e.data);
      if (!event.success) return;
      if (event.data.kind === 'error') {
        end();
        return reject(new Error(event.data.message));
      }
      const value = answer(event.data);
      if (value === undefined) return;
      end();
      resolve(value);
    };
    job.postMessage(request);
  });
}

/** Each design's inference samples/s on the Train panel's backend, measured in a worker of its own. */
export function measureInference(
  graphs: Graph[],
  batch: number,
): Promise<{ backend: string; results: { samplesPerSec: number | null; problem: string | null }[] }> {
  const { machine } = training();
  return inOwnWorker(
    {
      kind: 'measureInference',
      graphTexts: graphs.map((g) => serializeDesignFile(graphFile(g, 'measured'))),
      batch: Math.min(batch, 1024),
      ...machine,
    },
    (e) => (e.kind === 'measured' ? { backend: e.backend, results: e.results } : undefined),
  );
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

/** Where the open document's runs are kept. */
function documentPlace(): DocumentPlace {
  const { path, doc } = useDocument.getState();
  return { path, draft: doc.draft };
}

/** The runs kept beside the open document. */
export async function loadRuns(): Promise<void> {
  const { path, draft } = documentPlace();
  try {
    useTraining.setState({ runs: await hostApi.listRuns(path, draft) });
  } catch {
    useTraining.setState({ runs: [] });
  }
}

/** A failed or cancelled run ends its queue: the user sees why before anything else starts. */
function endQueue(): void {
  queued = [];
  useTraining.setState({ queue: null });
}

/** A kept run's own copy of the graph it trained; null when it cannot be read. */
export async function keptRunGraph(runId: string): Promise<Graph | null> {
  try {
    const parsed = parseDesignFile(String(await runFile(runId, 'graph.blockwise.json')));
    return parsed.ok ? parsed.value.graph : null;
  } catch {
    return null;
  }
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
