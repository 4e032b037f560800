import { useEffect, useState } from 'react';
import { useDialogs } from '../ui/dialog-store.ts';
import { hostApi } from '../host/host-api.ts';
import { useDocument } from '../document/document-store.ts';
import { openFromHost } from '../document/document-actions.ts';

/** "Open…": the documents the host offers (recent ones, then those in the documents folder). */
export function OpenMenu() {
  const [documents, setDocuments] = useState<{ path: string; name: string }[] | null>(null);
  const notify = useDocument((s) => s.notify);
  // Shown through the dialog store, so Ctrl+O and the menu open it and Escape closes it.
  const { dialog, show } = useDialogs();
  const shown = dialog === 'open';
  useEffect(() => {
    if (!shown) return setDocuments(null);
    hostApi.recentDocuments().then(setDocuments, (e: Error) => {
      notify({ kind: 'error', text: `Could not list documents: ${e.message}.` });
      show(null);
    });
  }, [shown, notify, show]);
  return (
    <span className="open-menu">
      <button onClick={() => show(shown ? null : 'open')} data-testid="open">
        Open…
      </button>
      {documents && (
        <ul className="menu" role="menu">
          {documents.length === 0 && (
            <li className="hint">No saved documents yet: Save puts them in ~/Blockwise.</li>
          )}
          {documents.map((d) => (
            <li key={d.path}>
              <button
                role="menuitem"
                title={d.path}
                onClick={() => void openFromHost(d.path).then(() => show(null))}
                data-testid={`open-${d.name}`}
              >
                {d.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
