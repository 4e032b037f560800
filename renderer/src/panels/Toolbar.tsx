import { useCallback, useEffect, useRef, useState } from 'react';
import { BlockActions } from './BlockActions.tsx';
import { importDocument, saveDocument, tidyDocument } from './document-actions.ts';
import { ExportMenu } from './ExportMenu.tsx';
import { MakeBlockDialog } from './MakeBlockDialog.tsx';
import { SaveAsDialog } from './SaveAsDialog.tsx';
import { OpenMenu } from './OpenMenu.tsx';
import { SummaryDialog } from './SummaryDialog.tsx';
import { SHORTCUTS, useShortcuts } from './shortcuts.ts';
import { emptyGraph } from '../../../shared/graph/document.ts';
import { useDocument } from '../store/document-store.ts';

/** Document actions, undo/redo with their shortcuts, and the shortcut overlay. */
export function Toolbar() {
  const { name, history, savedGraph, undo, redo, open, openBlocks, showDepth } = useDocument();
  const [dialog, setDialog] = useState<'help' | 'summary' | 'saveAs' | 'makeBlock' | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const onPick = async (file: File | undefined) => {
    if (file) importDocument(await file.text(), file.name);
    if (picker.current) picker.current.value = '';
  };
  const unsaved = history.graph !== savedGraph;
  useEffect(() => {
    document.title = `${unsaved ? '• ' : ''}${name} — Blockwise`;
  }, [name, unsaved]);
  const toggleHelp = useCallback(() => setDialog((d) => (d === 'help' ? null : 'help')), []);
  // Escape closes the dialog on top, else the open block.
  const onEscape = useCallback(() => {
    if (dialog) setDialog(null);
    else showDepth(openBlocks.length - 1);
  }, [dialog, showDepth, openBlocks.length]);
  useShortcuts(toggleHelp, onEscape);
  const close = useCallback(() => setDialog(null), []);
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
      <button onClick={() => setDialog('saveAs')} title="Save under a new name" data-testid="save-as">
        Save as…
      </button>
      <ExportMenu />
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
      <BlockActions onMake={() => setDialog('makeBlock')} />
      <button onClick={() => void tidyDocument()} title="Lay the graph out again (undoable)">
        Tidy layout
      </button>
      <button onClick={() => setDialog('summary')} data-testid="summary">
        Summary
      </button>
      <button onClick={() => setDialog('help')} title="Keyboard shortcuts (?)">
        Shortcuts
      </button>
      {dialog === 'summary' && <SummaryDialog onClose={close} />}
      {dialog === 'saveAs' && <SaveAsDialog onClose={close} />}
      {dialog === 'makeBlock' && <MakeBlockDialog onClose={close} />}
      {dialog === 'help' && (
        <div className="overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={close}>
          <table>
            <tbody>
              {[
                ...SHORTCUTS,
                { keys: 'Delete, Backspace', what: 'Delete the selection' },
                { keys: 'Ctrl+click, Shift+drag', what: 'Select several nodes' },
                { keys: 'Double-click a block', what: 'Open it; Escape closes it' },
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
