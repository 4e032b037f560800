import { useState } from 'react';
import { designerPayloads } from '../../../shared/api/designer-api.ts';
import { refusalWords } from '../../../shared/schema-words.ts';
import { FormDialog } from '../ui/FormDialog.tsx';
import { addDataset } from '../training/datasets.ts';

/**
 * Browser mode's "Add dataset…": the path of a dataset folder, typed (the page has no folder dialog; the
 * desktop app shows its own). What the host refuses is said here, and the dialog stays open to fix it.
 */
export function AddDatasetDialog({ onClose }: { onClose(): void }) {
  const [path, setPath] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refused = refusalWords(designerPayloads.addDataset, [path.trim()]);
  return (
    <FormDialog
      label="Add dataset"
      title="Add a dataset folder"
      submit={busy ? 'Reading…' : 'Add'}
      submitDisabled={!path.trim() || busy || refused !== null}
      submitTestId="confirm-add-dataset"
      onSubmit={() => {
        setBusy(true);
        void addDataset(path.trim()).then((why) => {
          setBusy(false);
          if (why) setProblem(why);
          else onClose();
        });
      }}
      onClose={onClose}
    >
      <label>
        Folder{' '}
        <input
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/home/me/data/digits"
          className="path-input"
          data-testid="add-dataset-path"
          autoFocus
        />
      </label>
      <p className="hint">
        A folder in your home folder with the four MNIST-style IDX files, train.csv and test.csv (a label,
        then the pixels, per row), or train/ and test/ holding one folder of PNG or JPEG images per class. A
        dataset.json beside them may name the classes (and a CSV's shape, [C, H, W]).
      </p>
      {path.trim() && refused && <p className="field-error">Folder: {refused}.</p>}
      {problem && (
        <p className="field-error" data-testid="add-dataset-problem">
          {problem}
        </p>
      )}
    </FormDialog>
  );
}
