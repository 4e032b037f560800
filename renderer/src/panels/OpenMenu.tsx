import { useEffect, useState } from 'react';
import { useDialogs } from './dialog-store.ts';
import { hostApi } from '../host/host-api.ts';
import { useDocument } from '../store/document-store.ts';
import { openFromHost } from './document-actions.ts';

/** "Open…": the documents the host offers (recent ones, then those in the documents folder). */
export function OpenMenu() {
  const [documents, setDocuments] = useState<{ path: string; name: string }[] | null>(null);
  const notify = useDocument((s) => s.notify);
  const { dialog, show: showDialog } = useDialogs();
  const show = async () => {
    try {
      setDocuments(await hostApi.recentDocuments());
    } catch (e) {
      notify({ kind: 'error', text: `Could not list documents: ${(e as Error).message}.` });
    }
  };
  // Ctrl+O (or the menu) asks for the list through the dialog store.
  useEffect(() => {
    if (dialog !== 'open') return;
    showDialog(null);
    void show();
  });
  return (
    <span className="open-menu">
      <button onClick={() => void (documents ? setDocuments(null) : show())} data-testid="open">
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
                onClick={() => void openFromHost(d.path).then(() => setDocuments(null))}
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
