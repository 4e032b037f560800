import { chanceNote } from '../../../shared/train/chance-level.ts';
import { useMemo, useState } from 'react';
import type { RunRecord } from '../../../shared/train/run-record.ts';
import type { EpochMetrics } from '../../../shared/train/epoch-metrics.ts';
import { useDocument } from '../document/document-store.ts';
import { SeriesChart } from '../ui/SeriesChart.tsx';
import { smoothed } from '../ui/smoothing.ts';
import { ACCURACY_AXIS, LOSS_AXIS } from '../ui/value-axis.ts';
import { stopQueue } from '../training/training-actions.ts';
import { useTraining, type RunView } from '../training/training-store.ts';
import { runOutcome } from './run-words.ts';

const time = (s: number | null) =>
  s !== null && Number.isFinite(s)
    ? `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`
    : '—';

/**
 * What an evaluation pass is, said as it runs: the evaluation after an epoch (on the validation split, or
 * the test set without one), or the test pass after the last batch.
 */
function passWords(pass: NonNullable<RunView['evaluating']>, epoch: number, epochs: number): string {
  if (pass.final) return 'Testing on the test set';
  return `${pass.split === 'validation' ? 'Validating' : 'Testing'} after epoch ${epoch}/${epochs}`;
}

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

export function RunProgress({ run }: { run: RunView }) {
  const graph = useDocument((s) => s.history.graph);
  const p = run.progress;
  const pass = run.evaluating;
  // A run that ended has no time left: its last batch's estimate would linger.
  const running = run.status === 'training' || run.status === 'paused';
  // An evaluation pass has a bar of its own: the test pass after the last batch takes a while on WebGL.
  const done = pass ? pass.done / pass.total : p ? (p.epoch - 1 + p.batch / p.batches) / run.epochs : 0;
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
          {run.backend.why && ` · auto: ${run.backend.why}`}
        </p>
      )}
      {graph !== run.graph && (
        <p className="hint">The design has changed since this run started; the run trains its own copy.</p>
      )}
      <progress max={1} value={done} data-testid="train-progress" />
      {pass ? (
        <p className="hint" data-testid="train-progress-text">
          {passWords(pass, p?.epoch ?? run.epochs, run.epochs)}: {pass.done.toLocaleString('en-US')}/
          {pass.total.toLocaleString('en-US')} images · {time(pass.etaSeconds)} left
        </p>
      ) : (
        p && (
          <p className="hint" data-testid="train-progress-text">
            Epoch {p.epoch}/{run.epochs} · batch {p.batch}/{p.batches} ·{' '}
            {Math.round(p.samplesPerSec).toLocaleString('en-US')} samples/s
            {running && ` · ${time(p.etaSeconds)} left`}
          </p>
        )
      )}
      <ChanceNote run={run} />
      <BatchCharts run={run} />
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

/** The run's charts: loss, accuracy and learning rate per batch (with a smoothing to choose), and per epoch. */
function BatchCharts({ run }: { run: RunView }) {
  const [smoothing, setSmoothing] = useState(0.6);
  return (
    <>
      <label
        className="smoothing"
        title="How much the per-batch loss and accuracy are smoothed (as TensorBoard does)"
      >
        Smoothing
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={smoothing}
          onChange={(e) => setSmoothing(Number(e.target.value))}
          data-testid="chart-smoothing"
        />
        {smoothing.toFixed(2)}
      </label>
      <div className="charts">
        <BatchChart run={run} k="loss" title="Loss per batch" smoothing={smoothing} />
        <BatchChart run={run} k="accuracy" title="Accuracy per batch" smoothing={smoothing} />
        <BatchChart run={run} k="lr" title="Learning rate" smoothing={0} />
        <EpochChart epochs={run.epochMetrics} />
      </div>
    </>
  );
}

const BATCH_SERIES = {
  loss: { color: '#c0392b', y: LOSS_AXIS },
  accuracy: { color: '#2f5bd3', y: ACCURACY_AXIS },
  lr: { color: '#7a5bd3', y: { label: 'learning rate', format: 'number' } },
} as const;

/** One per-batch series of the run under way: as measured, pale, with its smoothed line over it. */
function BatchChart(props: {
  run: RunView;
  k: 'loss' | 'accuracy' | 'lr';
  title: string;
  smoothing: number;
}) {
  const values = props.run.series[props.k];
  const { color, y } = BATCH_SERIES[props.k];
  const series = useMemo(
    () =>
      props.smoothing === 0
        ? [{ label: props.k, values, color }]
        : [
            { label: props.k, values, color, faint: true },
            { label: `${props.k}, smoothed`, values: smoothed(values, props.smoothing), color },
          ],
    [values, props.k, color, props.smoothing],
  );
  return (
    <SeriesChart
      title={props.title}
      x={props.run.series.step}
      series={series}
      xLabel="batch"
      y={y}
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
    <SeriesChart
      title="Accuracy per epoch"
      x={x}
      series={series}
      xLabel="epoch"
      y={ACCURACY_AXIS}
      points
      testId="chart-epochs"
    />
  );
}

/** A kept run's curves, from its run.json: loss and accuracy per epoch. */
export function EpochCurves({ record, title }: { record: RunRecord; title: string }) {
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
        <SeriesChart
          title="Loss per epoch"
          x={x}
          series={loss}
          xLabel="epoch"
          y={LOSS_AXIS}
          points
          testId="chart-kept-loss"
        />
        <EpochChart epochs={record.epochs} />
      </div>
    </div>
  );
}
