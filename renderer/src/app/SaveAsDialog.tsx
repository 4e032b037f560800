import { useEffect, useState } from 'react';
import { saveRequestSchema } from '../../../shared/api/designer-api.ts';
import { refusalWords } from '../../../shared/schema-words.ts';
import { FormDialog } from '../ui/FormDialog.tsx';
import { hostApi } from '../host/host-api.ts';
import { useDocument } from '../document/document-store.ts';
import { saveDocument } from '../document/document-actions.ts';

/**
 * "Save as…": a new name for the document. The host decides where (a native dialog in the desktop app, the
 * documents folder in browser mode); a name already taken is pointed out before it is replaced.
 */
export function SaveAsDialog({ onClose }: { onClose(): void }) {
  const current = useDocument((s) => s.name);
  const saved = useDocument((s) => s.path !== null);
  const [name, setName] = useState(current === 'Untitled' ? 'My network' : `${current} copy`);
  const [taken, setTaken] = useState<string[]>([]);
  useEffect(() => {
    void hostApi.recentDocuments().then(
      (docs) => setTaken(docs.map((d) => d.name)),
      () => setTaken([]),
    );
  }, []);
  // Its own name is no clash: saving there is a save in place.
  const clash = taken.includes(name.trim()) && !(saved && name.trim() === current);
  const refused = refusalWords(saveRequestSchema.shape.suggestedName, name.trim());
  return (
    <FormDialog
      label="Save as"
      title="Save as"
      submit="Save"
      submitDisabled={!name.trim() || refused !== null}
      submitTestId="confirm-save-as"
      onSubmit={() => {
        onClose();
        // A taken name is replaced only with the Replace of the question that follows: Enter never replaces.
        void saveDocument(name.trim());
      }}
      onClose={onClose}
    >
      <label>
        Name{' '}
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="save-as-name" autoFocus />
      </label>
      {refused && <p className="field-error">Name: {refused}.</p>}
      {clash && (
        <p className="field-error">
          A document named “{name.trim()}” exists: Save asks before it replaces it.
        </p>
      )}
    </FormDialog>
  );
}
