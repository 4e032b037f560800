import { useCallback, useEffect, useRef, useState } from 'react';
import { BlockActions } from './BlockActions.tsx';
import { exportDocument, importDocument, saveDocument, tidyDocument } from './document-actions.ts';
import { OpenMenu } from './OpenMenu.tsx';
import { SummaryDialog } from './SummaryDialog.tsx';
import { SHORTCUTS, useShortcuts } from './shortcuts.ts';
import { emptyGraph } from '../../../shared/graph/document.ts';
import { useDocument } from '../store/document-store.ts';

/** Document actions, undo/redo with their shortcuts, and the shortcut overlay. */
export function Toolbar() {
  const { name, history, savedGraph, undo, redo, open } = useDocument();
  const [help, setHelp] = useState(false);
  const [summary, setSummary] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const onPick = async (file: File | undefined) => {
    if (file) importDocument(await file.text(), file.name);
    if (picker.current) picker.current.value = '';
  };
  const unsaved = history.graph !== savedGraph;
  useEffect(() => {
    document.title = `${unsaved ? '• ' : ''}${name} — Blockwise`;
  }, [name, unsaved]);
  const toggleHelp = useCallback(() => setHelp((h) => !h), []);
  const closeOverlays = useCallback(() => {
    setHelp(false);
    setSummary(false);
  }, []);
  useShortcuts(toggleHelp, closeOverlays);
  const last = history.past[history.past.length - 1];
  const next = history.future[history.future.length - 1];
  return (
    <header className="toolbar">
      <strong className="app-name">Blockwise</strong>
      <span className="doc-name" data-testid="document-name">
        {name}
        {unsaved ? ' •' : ''}
      </span>
      <button onClick={() => open(emptyGraph(), 'Untitled')}>New</button>
      <OpenMenu />
      <button onClick={() => picker.current?.click()} data-testid="import">
        Import…
      </button>
      <input
        ref={picker}
        type="file"
        accept=".json,application/json"
        hidden
        onChange={(e) => void onPick(e.target.files?.[0])}
        data-testid="import-file"
      />
      <button onClick={() => void saveDocument()} title="Save (Ctrl+S)" data-testid="save">
        Save
      </button>
      <button onClick={exportDocument}>Export JSON</button>
      <button
        onClick={undo}
        disabled={!last}
        title={last ? `Undo ${last.label} (Ctrl+Z)` : 'Nothing to undo'}
        data-testid="undo"
      >
        Undo
      </button>
      <button
        onClick={redo}
        disabled={!next}
        title={next ? `Redo ${next.label} (Ctrl+Shift+Z)` : 'Nothing to redo'}
        data-testid="redo"
      >
        Redo
      </button>
      <BlockActions />
      <button onClick={() => void tidyDocument()} title="Lay the graph out again (undoable)">
        Tidy layout
      </button>
      <button onClick={() => setSummary(true)} data-testid="summary">
        Summary
      </button>
      <button onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
        Shortcuts
      </button>
      {summary && <SummaryDialog onClose={() => setSummary(false)} />}
      {help && (
        <div className="overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={() => setHelp(false)}>
          <table>
            <tbody>
              {[
                ...SHORTCUTS,
                { keys: 'Delete, Backspace', what: 'Delete the selection' },
                { keys: 'Ctrl+click, Shift+drag', what: 'Select several nodes' },
                { keys: '?', what: 'This help' },
              ].map(({ keys, what }) => (
                <tr key={keys}>
                  <td>
                    <kbd>{keys}</kbd>
                  </td>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </header>
  );
}
