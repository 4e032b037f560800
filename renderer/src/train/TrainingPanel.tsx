import { useEffect } from 'react';
import type { KeptRun } from '../../../shared/train/run-record.ts';
import { useDocument } from '../document/document-store.ts';
import { continueRun, startFromRun } from '../training/training-actions.ts';
import { exportWeights, exportRunToPytorch, loadRuns } from '../training/kept-runs.ts';
import { loadDatasets } from '../training/datasets.ts';
import { useTraining } from '../training/training-store.ts';
import { ACTIVE, formatAccuracy, runOutcome } from './run-words.ts';
import { TrainingSettingsForm } from './TrainingSettingsForm.tsx';
import { RunProgress, EpochCurves } from './RunProgress.tsx';
import { Results } from './RunResults.tsx';
import { DataPreview } from './DataPreview.tsx';
import { TrainingHeader } from './TrainingHeader.tsx';
import { useCurrentFit } from '../training/use-current-fit.ts';
import './training-panel.css';

/**
 * Train the open design: a header with its actions that never scrolls, then settings | live progress and
 * charts | results and kept runs, each column scrolling on its own. Under the canvas, or over the whole
 * window (the canvas stays as it was under it).
 */
export function TrainingPanel() {
  const { run, runs, shownRun, fullWindow } = useTraining();
  const path = useDocument((s) => s.path);
  const draft = useDocument((s) => s.doc.draft);
  useEffect(() => void loadRuns(), [path, draft]);
  useEffect(() => void loadDatasets(), []);
  const fit = useCurrentFit();
  const record = shownRun?.record ?? run?.record ?? null;
  const predictions = shownRun ? null : (run?.predictions ?? null);
  const active = run !== null && ACTIVE.has(run.status);
  return (
    <section
      className={fullWindow ? 'training-panel full-window' : 'training-panel'}
      aria-label="Training"
      data-testid="training-panel"
    >
      <TrainingHeader fit={fit} />
      <div className="training-columns">
        <TrainingSettingsForm fit={fit} />
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
            <p className="hint">
              No runs kept yet. Each finished or stopped run is kept beside the document.
            </p>
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
