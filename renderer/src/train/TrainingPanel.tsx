import { chanceNote } from '../../../shared/train/chance-level.ts';
import { useEffect, useMemo, useState } from 'react';
import { FASHION_MNIST_CLASSES, type Labels } from '../../../shared/data/dataset.ts';
import type { KeptRun, RunRecord } from '../../../shared/train/run-record.ts';
import type { EpochMetrics } from '../../../shared/train/epoch-metrics.ts';
import { TRAINING_BACKENDS } from '../../../shared/worker/worker-protocol.ts';
import { isDesktopHost } from '../host/host-api.ts';
import { useDialogs } from '../panels/dialog-store.ts';
import { useDocument } from '../store/document-store.ts';
import { FreezeField } from './FreezeField.tsx';
import { ImageThumb } from './ImageThumb.tsx';
import { SeriesChart } from './SeriesChart.tsx';
import { useCurrentFit } from './use-current-fit.ts';
import { useRecipe } from './use-settings.ts';
import {
  choicesFor,
  fieldApplies,
  fieldSpec,
  inputBounds,
  readField,
  RECIPE_FIELDS,
  type RecipeField,
} from '../../../shared/train/recipe-fields.ts';
import { samplesByClass, testImages, type TestImages } from './test-images.ts';
import {
  addDataset,
  removeDataset,
  setMachine,
  setRecipeField,
  cancelTraining,
  continueRun,
  exportWeights,
  exportRunToPytorch,
  loadDatasets,
  startFromRun,
  loadRuns,
  pauseTraining,
  resumeTraining,
  startTraining,
  stopQueue,
  stopTraining,
} from './training-actions.ts';
import { chosenDataset, useTraining, type MachineSettings, type RunView } from './training-store.ts';

const ACTIVE = new Set(['preparing', 'training', 'paused', 'saving']);

/** Train the open design on Fashion-MNIST: settings, live progress and charts, results, kept runs. */
export function TrainingPanel() {
  const { run, runs, shownRun } = useTraining();
  const path = useDocument((s) => s.path);
  const draft = useDocument((s) => s.doc.draft);
  useEffect(() => void loadRuns(), [path, draft]);
  useEffect(() => void loadDatasets(), []);
  const record = shownRun?.record ?? run?.record ?? null;
  const predictions = shownRun ? null : (run?.predictions ?? null);
  const active = run !== null && ACTIVE.has(run.status);
  return (
    <section className="training-panel" aria-label="Training" data-testid="training-panel">
      <TrainingSettingsForm />
      <div className="training-live">
        {shownRun ? (
          <EpochCurves record={shownRun.record} title={`Run ${shownRun.id}`} />
        ) : run ? (
          <RunProgress run={run} />
        ) : (
          <p className="hint">
            Set the recipe and press Train: the network learns Fashion-MNIST here, in a background worker.
          </p>
        )}
      </div>
      <div className="training-results">
        {record ? <Results record={record} predictions={predictions} /> : <DataPreview />}
        <h3>Runs</h3>
        {runs.length === 0 && (
          <p className="hint">No runs kept yet. Each finished or stopped run is kept beside the document.</p>
        )}
        <ul className="run-list" data-testid="run-list">
          {runs.map((r) =>
            'record' in r ? (
              <KeptRunRow key={r.id} run={r} active={active} />
            ) : (
              <li key={r.id} className="run-unreadable" data-testid={`run-${r.id}`}>
                {r.id} · cannot be read: {r.problem}
              </li>
            ),
          )}
        </ul>
      </div>
    </section>
  );
}

/** A kept run in the list: what it can do, and what it gave. */
function KeptRunRow({ run: r, active }: { run: KeptRun; active: boolean }) {
  return (
    <li>
      <button
        className="run-action"
        onClick={() => void continueRun(r)}
        disabled={active}
        title="Continue this run from where it stopped, up to the Epochs set"
      >
        Continue
      </button>
      <button
        className="run-action"
        onClick={() => void startFromRun(r)}
        disabled={active}
        title="Train the open design starting from this run's weights (Freeze says what stays fixed)"
      >
        Start from
      </button>
      <button
        className="run-action"
        onClick={() => void exportWeights(r)}
        title="Download its model.json and weights.bin"
      >
        Export
      </button>
      <button
        className="run-action"
        onClick={() => void exportRunToPytorch(r)}
        title="A PyTorch project with its weights (model.py, train.py, verify.py), as a ZIP"
        data-testid={`pytorch-${r.id}`}
      >
        PyTorch
      </button>
      <button onClick={() => useTraining.setState({ shownRun: r })} data-testid={`run-${r.id}`}>
        {r.id} · {r.record.graph.name} · {formatAccuracy(r.record.test.accuracy)} · {runOutcome(r.record)}
      </button>
    </li>
  );
}

/** How a run ended, or where its weights came from when it trained nothing here. */
const runOutcome = (r: RunRecord) =>
  r.importedFrom ? `imported from ${r.importedFrom}` : String(r.stoppedBy);

const formatAccuracy = (a: number) => `${(100 * a).toFixed(1)}%`;

/**
 * A number field that keeps the last good value: an entry refused is said at the field ("at most 100") and
 * not applied, so the panel never holds a value that Save or Train would refuse. `take` applies a value and
 * says what is wrong with it, if anything.
 */
function NumberInput(props: {
  label: string;
  testId: string;
  value: number | null;
  take: (n: number | null) => string | null;
  nullable?: boolean;
  step?: number | 'any';
  min?: number;
  max?: number;
}) {
  const [typed, setTyped] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const onChange = (text: string) => {
    setTyped(text);
    const n = text === '' && props.nullable ? null : Number(text);
    setProblem(n !== null && (text === '' || !Number.isFinite(n)) ? 'a number' : props.take(n));
  };
  return (
    <label>
      {props.label}
      <input
        type="number"
        step={props.step ?? 1}
        min={props.min}
        max={props.max}
        value={typed ?? props.value ?? ''}
        placeholder={props.nullable ? 'none' : undefined}
        data-testid={props.testId}
        aria-invalid={problem !== null}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => (setTyped(null), setProblem(null), useDocument.getState().sealStep())}
      />
      {problem && (
        <span className="field-error" data-testid={`${props.testId}-problem`}>
          {props.label}: {problem}
        </span>
      )}
    </label>
  );
}

/** A recipe field as its row in the recipe table says: a number, a list or a box, checked by the schema. */
function RecipeFieldInput({ field }: { field: RecipeField }) {
  const value = readField(useRecipe(), field);
  const testId = `train-${field.name}`;
  if (field.widget === 'choice')
    return (
      <label>
        {field.label}
        <select
          value={String(value)}
          onChange={(e) => setRecipeField(field, e.target.value, 'record')}
          data-testid={testId}
        >
          {choicesFor(field).map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
    );
  if (field.widget === 'check')
    return (
      <label className="check">
        <input
          type="checkbox"
          checked={value === true}
          onChange={(e) => setRecipeField(field, e.target.checked, 'record')}
          data-testid={testId}
        />
        {field.label}
      </label>
    );
  const spec = fieldSpec(field);
  return (
    <NumberInput
      label={field.label}
      testId={testId}
      value={value as number | null}
      take={(n) => setRecipeField(field, n)}
      nullable={spec?.nullable}
      step={field.step ?? (spec?.kind === 'integer' ? 1 : 'any')}
      {...inputBounds(field)}
    />
  );
}

/** Where this machine trains (not the document's): the backend and wasm's threads. */
function MachineFields() {
  const machine = useTraining((s) => s.machine);
  return (
    <>
      <label>
        Backend
        <select
          value={machine.backend}
          onChange={(e) => setMachine({ backend: e.target.value as MachineSettings['backend'] })}
          data-testid="train-backend"
        >
          {TRAINING_BACKENDS.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <NumberInput
        label="Threads (wasm)"
        testId="train-threads"
        value={machine.threads}
        min={1}
        max={MAX_THREADS}
        take={(n) => {
          if (n === null || !Number.isInteger(n) || n < 1 || n > MAX_THREADS)
            return `a whole number from 1 to ${MAX_THREADS}`;
          setMachine({ threads: n });
          return null;
        }}
      />
    </>
  );
}

const MAX_THREADS = 64;

/**
 * The data to train on: Fashion-MNIST, a folder of the user's own in ~/Blockwise/datasets, or one added from
 * elsewhere (the desktop app's folder dialog; a typed path in browser mode).
 */
function DatasetField() {
  const { datasets, datasetId } = useTraining();
  const chosen = datasets.find((d) => d.id === datasetId);
  const [problem, setProblem] = useState<string | null>(null);
  const add = () => {
    if (!isDesktopHost) return useDialogs.getState().show('addDataset');
    void addDataset(null).then(setProblem);
  };
  return (
    <div className="dataset-field">
      <label title="Your own: a folder of IDX files, CSVs or class folders of images in ~/Blockwise/datasets/, or added with Add…">
        Dataset
        <select
          value={datasetId}
          onChange={(e) => useTraining.setState({ datasetId: e.target.value })}
          data-testid="train-dataset"
        >
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
              {'problem' in d ? ' (cannot be read)' : ''}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        onClick={add}
        data-testid="add-dataset"
        title="Add a dataset folder from elsewhere"
      >
        Add…
      </button>
      {chosen?.added && (
        <button
          type="button"
          onClick={() => void removeDataset(chosen.id).then(setProblem)}
          data-testid="remove-dataset"
          title={`Stop offering ${chosen.name}: its folder stays as it is, and Add… offers it again`}
        >
          Remove
        </button>
      )}
      {problem && <p className="field-error">{problem}</p>}
    </div>
  );
}

function TrainingSettingsForm() {
  const recipe = useRecipe();
  const run = useTraining((s) => s.run);
  const usable = useTraining((s) => chosenDataset(s) !== null);
  const fit = useCurrentFit();
  const active = run !== null && ACTIVE.has(run.status);
  const select = useDocument((s) => s.select);
  return (
    <form className="training-settings" onSubmit={(e) => (e.preventDefault(), startTraining())}>
      <h3>Recipe</h3>
      <DatasetField />
      {RECIPE_FIELDS.filter((f) => f.widget !== null && fieldApplies(f, recipe)).map((f) => (
        <RecipeFieldInput key={f.name} field={f} />
      ))}
      <FreezeField />
      <MachineFields />
      {fit.resize && (
        <p className="hint">
          Images are resized to {fit.resize}×{fit.resize} per batch, as the network's Input wants.
        </p>
      )}
      {fit.problems.map((p) => (
        <p key={p.message} className="field-error" data-testid="fit-problem">
          {p.nodeId && (
            <>
              <button type="button" onClick={() => select([p.nodeId!])}>
                {p.nodeId}
              </button>{' '}
            </>
          )}
          {p.message}
        </p>
      ))}
      <div className="training-buttons">
        {!active && (
          <button
            type="submit"
            disabled={fit.problems.length > 0 || !usable}
            title={fit.problems[0]?.message ?? (usable ? undefined : 'The dataset chosen cannot be read.')}
            data-testid="train-start"
          >
            Train
          </button>
        )}
        {active && run.status === 'training' && (
          <button type="button" onClick={pauseTraining} data-testid="train-pause">
            Pause
          </button>
        )}
        {active && run.status === 'paused' && (
          <button type="button" onClick={resumeTraining} data-testid="train-resume">
            Resume
          </button>
        )}
        {active && (
          <button
            type="button"
            onClick={stopTraining}
            title="Stop after this batch; the run is tested and kept"
            data-testid="train-stop"
          >
            Stop
          </button>
        )}
        {active && (
          <button type="button" onClick={cancelTraining} title="End now; nothing is kept">
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

const time = (s: number) =>
  Number.isFinite(s) ? `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}` : '—';

/** Where a Train each queue stands, and its Stop. */
function QueueLine() {
  const queue = useTraining((s) => s.queue);
  if (!queue) return null;
  return (
    <p className="hint" data-testid="train-queue">
      Training each variant: {queue.done + 1} of {queue.names.length} ({queue.names[queue.done]}){' '}
      <button onClick={stopQueue}>Stop the queue</button>
    </p>
  );
}

function RunProgress({ run }: { run: RunView }) {
  const graph = useDocument((s) => s.history.graph);
  const p = run.progress;
  const done = p ? (p.epoch - 1 + p.batch / p.batches) / run.epochs : 0;
  return (
    <div className="run-progress">
      <QueueLine />
      <p
        className={`run-status ${run.status}`}
        data-testid="train-status"
        role={run.status === 'error' ? 'alert' : 'status'}
      >
        {run.text}
      </p>
      {run.backend && (
        <p className="hint" data-testid="train-backend-used">
          {run.backend.name} · {run.backend.device}
        </p>
      )}
      {graph !== run.graph && (
        <p className="hint">The design has changed since this run started; the run trains its own copy.</p>
      )}
      <progress max={1} value={done} data-testid="train-progress" />
      {p && (
        <p className="hint" data-testid="train-progress-text">
          Epoch {p.epoch}/{run.epochs} · batch {p.batch}/{p.batches} ·{' '}
          {Math.round(p.samplesPerSec).toLocaleString('en-US')} samples/s · {time(p.etaSeconds)} left
        </p>
      )}
      <ChanceNote run={run} />
      <div className="charts">
        <BatchChart run={run} k="loss" title="Loss per batch" color="#c0392b" />
        <BatchChart run={run} k="accuracy" title="Accuracy per batch" color="#2f5bd3" />
        <BatchChart run={run} k="lr" title="Learning rate" color="#7a5bd3" />
        <EpochChart epochs={run.epochMetrics} />
      </div>
    </div>
  );
}

/** Said while the run's latest batches are no better than guessing (see chanceNote). */
function ChanceNote({ run }: { run: RunView }) {
  const note = chanceNote(run.series.accuracy, run.classes.length);
  return note ? (
    <p className="hint chance-note" data-testid="train-chance">
      {note}
    </p>
  ) : null;
}

/** One per-batch series of the run under way. */
function BatchChart(props: { run: RunView; k: 'loss' | 'accuracy' | 'lr'; title: string; color: string }) {
  const values = props.run.series[props.k];
  const series = useMemo(
    () => [{ label: props.k, values, color: props.color }],
    [values, props.k, props.color],
  );
  return (
    <SeriesChart
      title={props.title}
      x={props.run.series.step}
      series={series}
      xLabel="batch"
      testId={`chart-${props.k}`}
    />
  );
}

const EPOCH_COLORS = { train: '#2f5bd3', eval: '#e67e22' };

/** Accuracy per epoch, on the training batches and on the evaluation split (validation or test). */
function EpochChart({ epochs }: { epochs: EpochMetrics[] }) {
  const x = useMemo(() => epochs.map((e) => e.epoch), [epochs]);
  const series = useMemo(
    () => [
      { label: 'train', values: epochs.map((e) => e.trainAccuracy), color: EPOCH_COLORS.train },
      { label: 'evaluation', values: epochs.map((e) => e.evalAccuracy), color: EPOCH_COLORS.eval },
    ],
    [epochs],
  );
  return (
    <SeriesChart title="Accuracy per epoch" x={x} series={series} xLabel="epoch" testId="chart-epochs" />
  );
}

/** A kept run's curves, from its run.json: loss and accuracy per epoch. */
function EpochCurves({ record, title }: { record: RunRecord; title: string }) {
  const x = useMemo(() => record.epochs.map((e) => e.epoch), [record]);
  const loss = useMemo(
    () => [
      { label: 'train', values: record.epochs.map((e) => e.trainLoss), color: EPOCH_COLORS.train },
      { label: 'evaluation', values: record.epochs.map((e) => e.evalLoss), color: EPOCH_COLORS.eval },
    ],
    [record],
  );
  return (
    <div className="run-progress">
      <p className="run-status">
        {title}: {record.backend} · {record.epochs.length} epoch(s) · {Math.round(record.seconds)} s ·{' '}
        {record.importedFrom ? runOutcome(record) : `stopped by ${runOutcome(record)}`}
      </p>
      <div className="charts">
        <SeriesChart title="Loss per epoch" x={x} series={loss} xLabel="epoch" testId="chart-kept-loss" />
        <EpochChart epochs={record.epochs} />
      </div>
    </div>
  );
}

function Results({ record, predictions }: { record: RunRecord; predictions: Labels | null }) {
  const classes = record.dataset?.classes ?? FASHION_MNIST_CLASSES;
  const { confusion, accuracy } = record.test;
  const best = record.bestEpoch;
  const [cell, setCell] = useState<[number, number] | null>(null);
  return (
    <div className="run-results" data-testid="run-results">
      <h3>
        Test accuracy {formatAccuracy(accuracy)}
        {best ? ` · best epoch ${best}` : ''}
      </h3>
      <table className="confusion" aria-label="Confusion matrix (rows: true class, columns: predicted)">
        <tbody>
          {confusion.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0) || 1;
            return (
              <tr key={i}>
                <th title={classes[i]}>{classes[i]}</th>
                {row.map((n, j) => (
                  <td
                    key={j}
                    className={predictions && n > 0 ? 'clickable' : undefined}
                    style={{
                      background: `rgba(47, 91, 211, ${n / total})`,
                      color: n / total > 0.5 ? '#fff' : undefined,
                    }}
                    title={`${classes[i]} predicted as ${classes[j]}: ${n}${predictions ? ' (click to see them)' : ''}`}
                    onClick={() => predictions && n > 0 && setCell([i, j])}
                    data-testid={`confusion-${i}-${j}`}
                  >
                    {n}
                  </td>
                ))}
                <td className="per-class">{formatAccuracy(row[i]! / total)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {cell && predictions && (
        <Mistakes truth={cell[0]} predicted={cell[1]} predictions={predictions} classes={classes} />
      )}
    </div>
  );
}

/** Loads a dataset's test images once they are wanted; a problem reading them is said, not thrown. */
function useTestImages(datasetId: string): TestImages | string | null {
  const [images, setImages] = useState<{ id: string; images: TestImages | string } | null>(null);
  useEffect(
    () => void testImages(datasetId).then((loaded) => setImages({ id: datasetId, images: loaded })),
    [datasetId],
  );
  return images?.id === datasetId ? images.images : null;
}

/** The data a run learns: its classes, each with a few of its test images (or why it cannot be used). */
function DataPreview() {
  const { datasets, datasetId } = useTraining();
  const offer = datasets.find((d) => d.id === datasetId);
  const images = useTestImages(datasetId);
  if (offer && 'problem' in offer)
    return (
      <p className="field-error" data-testid="dataset-problem">
        {offer.problem}
      </p>
    );
  if (images === null || !offer) return <p className="hint">Reading {offer?.name ?? datasetId}…</p>;
  if (typeof images === 'string') return <p className="field-error">{images}</p>;
  const samples = samplesByClass(images.set, offer.classes.length, 3);
  return (
    <div className="data-preview" data-testid="data-preview">
      <h3>
        {offer.name} · {offer.classes.length} classes · {offer.train.toLocaleString('en-US')} training and{' '}
        {offer.test.toLocaleString('en-US')} test images of {offer.shape.join('×')}
      </h3>
      <div className="sample-grid">
        {samples.map((indices, c) => (
          <figure key={c}>
            {indices.map((i) => (
              <ImageThumb key={i} images={images} index={i} title={offer.classes[c]!} />
            ))}
            <figcaption>{offer.classes[c]}</figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}

/** The test images of one confusion cell: what was taken for what. */
function Mistakes(props: { truth: number; predicted: number; predictions: Labels; classes: string[] }) {
  const images = useTestImages(useTraining((s) => s.datasetId));
  if (images === null || typeof images === 'string')
    return <p className="hint">{images ?? 'Reading the test images…'}</p>;
  const picked: number[] = [];
  for (let i = 0; i < images.set.count && picked.length < 40; i++)
    if (images.set.labels[i] === props.truth && props.predictions[i] === props.predicted) picked.push(i);
  const [truth, predicted] = [props.classes[props.truth], props.classes[props.predicted]];
  return (
    <div className="mistakes" data-testid="mistakes">
      <h3>
        {truth} predicted as {predicted} ({picked.length === 40 ? 'the first 40' : picked.length})
      </h3>
      <div className="thumb-row">
        {picked.map((i) => (
          <ImageThumb key={i} images={images} index={i} title={`test image ${i + 1}`} />
        ))}
      </div>
    </div>
  );
}
