import { useState } from 'react';
import { TRAINING_BACKENDS } from '../../../shared/worker/worker-protocol.ts';
import { isDesktopHost } from '../host/host-api.ts';
import { useDialogs } from '../ui/dialog-store.ts';
import { useDocument } from '../document/document-store.ts';
import { FreezeField } from './FreezeField.tsx';
import type { currentFit } from '../training/design-fit.ts';
import { useRecipe } from '../document/recipe.ts';
import {
  choicesFor,
  fieldApplies,
  fieldSpec,
  inputBounds,
  readField,
  RECIPE_FIELDS,
  type RecipeField,
} from '../../../shared/train/recipe-fields.ts';
import { addDataset, removeDataset } from '../training/datasets.ts';
import { setMachine, startTraining } from '../training/training-actions.ts';
import { setRecipeField } from '../document/recipe.ts';
import { useTraining, type MachineSettings } from '../training/training-store.ts';
import { SETTINGS_FORM } from './TrainingHeader.tsx';

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

/** The recipe and where it trains; the header's Train submits it (its actions live there, never scrolled). */
export function TrainingSettingsForm({ fit }: { fit: ReturnType<typeof currentFit> }) {
  const recipe = useRecipe();
  const select = useDocument((s) => s.select);
  return (
    <form
      id={SETTINGS_FORM}
      className="training-settings"
      onSubmit={(e) => (e.preventDefault(), startTraining())}
    >
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
    </form>
  );
}
