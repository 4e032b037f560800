import type { currentFit } from '../training/design-fit.ts';
import { cancelTraining, pauseTraining, resumeTraining, stopTraining } from '../training/training-actions.ts';
import { chosenDataset, useTraining } from '../training/training-store.ts';
import { toggleTrainFullWindow, toggleTrainPanel } from './panel-place.ts';
import { ACTIVE } from './run-words.ts';

/** The recipe form's id: Train submits it from the header, as Enter in one of its fields does. */
export const SETTINGS_FORM = 'training-settings';

/**
 * The panel's header, which never scrolls with its columns: what it is, its primary actions (Train, or
 * Pause/Resume, Stop and Cancel while a run is under way) and where it sits in the window.
 */
export function TrainingHeader({ fit }: { fit: ReturnType<typeof currentFit> }) {
  const fullWindow = useTraining((s) => s.fullWindow);
  return (
    <header className="training-header">
      <h2>Training</h2>
      <RunActions fit={fit} />
      <span className="training-header-gap" />
      <button
        type="button"
        onClick={toggleTrainFullWindow}
        title={fullWindow ? 'Back under the canvas (Escape)' : 'Over the whole window (Ctrl+Shift+F)'}
        data-testid="train-full-window"
      >
        {fullWindow ? 'Back to the canvas' : 'Whole window'}
      </button>
      <button type="button" onClick={toggleTrainPanel} title="Close the Train panel" aria-label="Close">
        ×
      </button>
    </header>
  );
}

function RunActions({ fit }: { fit: ReturnType<typeof currentFit> }) {
  const run = useTraining((s) => s.run);
  const usable = useTraining((s) => chosenDataset(s) !== null);
  if (run === null || !ACTIVE.has(run.status))
    return (
      <button
        type="submit"
        form={SETTINGS_FORM}
        className="primary"
        disabled={fit.problems.length > 0 || !usable}
        title={fit.problems[0]?.message ?? (usable ? undefined : 'The dataset chosen cannot be read.')}
        data-testid="train-start"
      >
        Train
      </button>
    );
  return (
    <>
      {run.status === 'training' && (
        <button type="button" onClick={pauseTraining} data-testid="train-pause">
          Pause
        </button>
      )}
      {run.status === 'paused' && (
        <button type="button" onClick={resumeTraining} data-testid="train-resume">
          Resume
        </button>
      )}
      <button
        type="button"
        className="primary"
        onClick={stopTraining}
        title="Stop after this batch; the run is tested and kept"
        data-testid="train-stop"
      >
        Stop
      </button>
      <button type="button" onClick={cancelTraining} title="End now; nothing is kept">
        Cancel
      </button>
    </>
  );
}
