import { useRef } from 'react';
import { nextLabel } from '../../../shared/document/design-document.ts';
import { hasUnsavedChanges, useDocument } from '../document/document-store.ts';
import { BlockActions } from './BlockActions.tsx';
import { importFiles } from './import-actions.ts';
import { commandEnabled, runCommand } from './editor-actions.ts';
import { ExportMenu } from './ExportMenu.tsx';
import { OpenMenu } from './OpenMenu.tsx';

/** Document actions, undo/redo with their shortcuts, and the shortcut overlay. */
export function Toolbar() {
  const state = useDocument();
  const { name } = state;
  const picker = useRef<HTMLInputElement>(null);
  const onPick = async (files: FileList | null) => {
    if (files?.length) await importFiles([...files]);
    if (picker.current) picker.current.value = '';
  };
  const unsaved = hasUnsavedChanges(state);
  const last = nextLabel(state.doc, 'past');
  const next = nextLabel(state.doc, 'future');
  return (
    <header className="toolbar">
      <strong className="app-name">Blockwise</strong>
      <span className="doc-name" data-testid="document-name">
        {name}
        {unsaved ? ' •' : ''}
      </span>
      <button
        onClick={() => runCommand('start')}
        title="Start screen: templates, recent documents, build your own (Ctrl+Shift+H)"
        data-testid="start"
      >
        Start
      </button>
      <button onClick={() => runCommand('new')}>New</button>
      <OpenMenu />
      <button onClick={() => picker.current?.click()} data-testid="import">
        Import…
      </button>
      <input
        ref={picker}
        type="file"
        accept=".json,application/json,.bin,.pth,.pt"
        multiple
        hidden
        onChange={(e) => void onPick(e.target.files)}
        data-testid="import-file"
      />
      <button onClick={() => runCommand('save')} title="Save (Ctrl+S)" data-testid="save">
        Save
      </button>
      <button onClick={() => runCommand('saveAs')} title="Save under a new name" data-testid="save-as">
        Save as…
      </button>
      <ExportMenu />
      <button
        onClick={() => runCommand('undo')}
        disabled={!commandEnabled('undo')}
        title={last ? `Undo ${last} (Ctrl+Z)` : 'Nothing to undo'}
        data-testid="undo"
      >
        Undo
      </button>
      <button
        onClick={() => runCommand('redo')}
        disabled={!commandEnabled('redo')}
        title={next ? `Redo ${next} (Ctrl+Shift+Z)` : 'Nothing to redo'}
        data-testid="redo"
      >
        Redo
      </button>
      <BlockActions />
      <button
        onClick={() => runCommand('tidy')}
        disabled={!commandEnabled('tidy')}
        title="Lay the graph out again (undoable)"
      >
        Tidy layout
      </button>
      <button
        onClick={() => runCommand('trainPanel')}
        title="Train this network on Fashion-MNIST"
        data-testid="train"
      >
        Train
      </button>
      <button onClick={() => runCommand('summary')} data-testid="summary">
        Summary
      </button>
      {/* "?" opens the same list: the key it is, and room for the toolbar to stay on one line. */}
      <button
        onClick={() => runCommand('shortcuts')}
        title="Keyboard shortcuts (?)"
        aria-label="Shortcuts"
        className="toolbar-shortcuts"
      >
        ?
      </button>
    </header>
  );
}
