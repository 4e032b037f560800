import { useEffect, useState } from 'react';
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
    <div className="overlay" role="dialog" aria-label="Save as">
      <form
        className="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onClose();
          void saveDocument(name.trim());
        }}
      >
        <h2>Save as</h2>
        <label>
          Name{' '}
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="save-as-name"
            autoFocus
          />
        </label>
        {clash && (
          <p className="field-error">
            A document named “{name.trim()}” exists: saving replaces it (its last version is kept as .bak).
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={!name.trim()} data-testid="confirm-save-as">
            {clash ? 'Replace' : 'Save'}
          </button>
        </div>
      </form>
    </div>
  );
}
