import { useEffect, useMemo } from 'react';
import { FASHION_MNIST_CLASSES } from '../../../shared/data/dataset.ts';
import type { RunRecord } from '../../../shared/train/run-record.ts';
import { TRAINING_BACKENDS } from '../../../shared/train/worker-protocol.ts';
import { useDocument } from '../store/document-store.ts';
import { SeriesChart } from './SeriesChart.tsx';
import {
  cancelTraining,
  currentFit,
  loadRuns,
  pauseTraining,
  resumeTraining,
  startTraining,
  stopTraining,
} from './training-actions.ts';
import { useTraining, type RunView, type TrainingSettings } from './training-store.ts';

const ACTIVE = new Set(['preparing', 'training', 'paused', 'saving']);

/** Train the open design on Fashion-MNIST: settings, live progress and charts, results, kept runs. */
export function TrainingPanel() {
  const { run, runs, shownRun } = useTraining();
  const path = useDocument((s) => s.path);
  const name = useDocument((s) => s.name);
  useEffect(() => void loadRuns(), [path, name]);
  const record = (shownRun?.record as unknown as RunRecord | undefined) ?? run?.record ?? null;
  return (
    <section className="training-panel" aria-label="Training" data-testid="training-panel">
      <TrainingSettingsForm />
      <div className="training-live">
        {run ? (
          <RunProgress run={run} />
        ) : (
          <p className="hint">
            Set the recipe and press Train: the network learns Fashion-MNIST here, in a background worker.
          </p>
        )}
      </div>
      <div className="training-results">
        {record && <Results record={record} />}
        <h3>Runs</h3>
        {runs.length === 0 && (
          <p className="hint">No runs kept yet. Each finished or stopped run is kept beside the document.</p>
        )}
        <ul className="run-list" data-testid="run-list">
          {runs.map((r) => (
            <li key={r.id}>
              <button onClick={() => useTraining.setState({ shownRun: r })} data-testid={`run-${r.id}`}>
                {r.id} · {formatAccuracy((r.record as unknown as RunRecord).test?.accuracy)} ·{' '}
                {String(r.record['stoppedBy'])}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

const formatAccuracy = (a: number | undefined) => (a === undefined ? '—' : `${(100 * a).toFixed(1)}%`);

function field<K extends keyof TrainingSettings>(key: K, value: TrainingSettings[K]) {
  useTraining.setState((s) => ({ settings: { ...s.settings, [key]: value } }));
}

/** A number field that keeps the last good value: an empty or bad entry is not applied. */
function NumberField(props: {
  label: string;
  k: keyof TrainingSettings;
  step?: string;
  min?: number;
  max?: number;
  nullable?: boolean;
}) {
  const value = useTraining((s) => s.settings[props.k]) as number | null;
  return (
    <label>
      {props.label}
      <input
        type="number"
        step={props.step ?? '1'}
        min={props.min}
        max={props.max}
        value={value ?? ''}
        placeholder={props.nullable ? 'all' : undefined}
        data-testid={`train-${props.k}`}
        onChange={(e) => {
          const n = Number(e.target.value);
          if (e.target.value === '' && props.nullable) return field(props.k, null as never);
          const inRange =
            (props.min === undefined || n >= props.min) && (props.max === undefined || n <= props.max);
          if (e.target.value !== '' && Number.isFinite(n) && inRange) field(props.k, n as never);
        }}
      />
    </label>
  );
}

const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop'] as const;

/** A setting picked from a list. */
function ChoiceField<K extends 'optimizer' | 'backend'>(props: {
  label: string;
  k: K;
  choices: readonly TrainingSettings[K][];
}) {
  const value = useTraining((s) => s.settings[props.k]);
  return (
    <label>
      {props.label}
      <select
        value={value}
        onChange={(e) => field(props.k, e.target.value as TrainingSettings[K])}
        data-testid={`train-${props.k}`}
      >
        {props.choices.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
    </label>
  );
}

function TrainingSettingsForm() {
  const { settings, run } = useTraining();
  const graph = useDocument((s) => s.history.graph);
  const fit = useMemo(() => currentFit(), [graph]);
  const active = run !== null && ACTIVE.has(run.status);
  const select = useDocument((s) => s.select);
  return (
    <form className="training-settings" onSubmit={(e) => (e.preventDefault(), startTraining())}>
      <h3>Recipe · Fashion-MNIST</h3>
      <NumberField label="Epochs" k="epochs" min={1} max={10_000} />
      <NumberField label="Batch" k="batchSize" min={1} max={8192} />
      <NumberField label="Learning rate" k="lr" step="any" min={1e-9} />
      <ChoiceField label="Optimizer" k="optimizer" choices={OPTIMIZERS} />
      {settings.optimizer === 'sgd' && (
        <NumberField label="Momentum" k="momentum" step="0.05" min={0} max={0.999} />
      )}
      <NumberField label="Batches per epoch" k="maxBatchesPerEpoch" min={1} nullable />
      <NumberField label="Validation split" k="validationFraction" step="0.05" min={0} max={0.5} />
      <NumberField label="Seed" k="seed" min={0} />
      <ChoiceField label="Backend" k="backend" choices={TRAINING_BACKENDS} />
      <NumberField label="Threads (wasm)" k="threads" min={1} max={64} />
      {fit.resize && (
        <p className="hint">
          Images are resized to {fit.resize}×{fit.resize} per batch, as the network's Input wants.
        </p>
      )}
      {fit.problems.map((p) => (
        <p key={p.message} className="field-error" data-testid="fit-problem">
          <button type="button" onClick={() => p.nodeId && select([p.nodeId])}>
            {p.nodeId}
          </button>{' '}
          {p.message}
        </p>
      ))}
      <div className="training-buttons">
        {!active && (
          <button type="submit" disabled={fit.problems.length > 0} data-testid="train-start">
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

function RunProgress({ run }: { run: RunView }) {
  const graph = useDocument((s) => s.history.graph);
  const p = run.progress;
  const done = p ? (p.epoch - 1 + p.batch / p.batches) / run.epochs : 0;
  const lossSeries = useMemo(
    () => [{ label: 'loss', values: run.series.loss, color: '#c0392b' }],
    [run.series.loss],
  );
  const accuracySeries = useMemo(
    () => [{ label: 'accuracy', values: run.series.accuracy, color: '#2f5bd3' }],
    [run.series.accuracy],
  );
  return (
    <div className="run-progress">
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
      <div className="charts">
        <SeriesChart
          title="Loss per batch"
          x={run.series.step}
          series={lossSeries}
          xLabel="batch"
          testId="chart-loss"
        />
        <SeriesChart
          title="Accuracy per batch"
          x={run.series.step}
          series={accuracySeries}
          xLabel="batch"
          testId="chart-accuracy"
        />
      </div>
    </div>
  );
}

function Results({ record }: { record: RunRecord }) {
  const classes = record.dataset?.classes ?? FASHION_MNIST_CLASSES;
  const { confusion, accuracy } = record.test;
  const best = record.bestEpoch;
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
                    style={{
                      background: `rgba(47, 91, 211, ${n / total})`,
                      color: n / total > 0.5 ? '#fff' : undefined,
                    }}
                    title={`${classes[i]} → ${classes[j]}: ${n}`}
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
    </div>
  );
}
