import { useEffect, useState } from 'react';
import { FormDialog } from './FormDialog.tsx';
import { hostApi } from '../host/host-api.ts';
import { useDocument } from '../store/document-store.ts';
import { saveDocument } from './document-actions.ts';

/**
 * "Save as…": a new name for the document. The host decides where (a native dialog in the desktop app, the
 * documents folder in browser mode); a name already taken is pointed out before it is replaced.
 */
export function SaveAsDialog({ onClose }: { onClose(): void }) {
  const current = useDocument((s) => s.name);
  const [name, setName] = useState(current === 'Untitled' ? 'My network' : `${current} copy`);
  const [taken, setTaken] = useState<string[]>([]);
  useEffect(() => {
    void hostApi.recentDocuments().then(
      (docs) => setTaken(docs.map((d) => d.name)),
      () => setTaken([]),
    );
  }, []);
  const clash = taken.includes(name.trim());
  return (
    <FormDialog
      label="Save as"
      title="Save as"
      submit={clash ? 'Replace' : 'Save'}
      submitDisabled={!name.trim()}
      submitTestId="confirm-save-as"
      onSubmit={() => {
        onClose();
        // The user saw that the name is taken and chose Replace.
        void saveDocument(name.trim(), clash);
      }}
      onClose={onClose}
    >
      <label>
        Name{' '}
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="save-as-name" autoFocus />
      </label>
      {clash && (
        <p className="field-error">
          A document named “{name.trim()}” exists: saving replaces it (its last version is kept as .bak).
        </p>
      )}
    </FormDialog>
  );
}
