import { useEffect } from 'react';
import { copyNodes, pasteNodes, type Clip } from '../../../shared/graph/copy-nodes.ts';
import { isBoundaryNode } from '../../../shared/blocks/block-inside.ts';
import { dispatchInScope, scopeOf } from '../store/canvas-scope.ts';
import { useDocument } from '../store/document-store.ts';
import { saveDocument } from './document-actions.ts';

let clipboard: Clip | null = null;

/** Copy, paste and select all act on what the canvas shows: the document or the open block. */
const shownGraph = () => scopeOf(useDocument.getState()).graph;

function paste(clip: Clip | null, label: string): void {
  if (!clip || clip.nodes.length === 0) return;
  const { command, ids } = pasteNodes(shownGraph(), clip);
  if (dispatchInScope(command, label)) useDocument.getState().select(ids);
}

const selected = () => copyNodes(shownGraph(), useDocument.getState().selection);

/** The editor's shortcuts: one table drives both the keys and the help overlay. */
export const SHORTCUTS: {
  keys: string;
  what: string;
  mod: boolean;
  key: string;
  shift?: boolean;
  run(): void;
}[] = [
  { keys: 'Ctrl+S', what: 'Save', mod: true, key: 's', run: () => void saveDocument() },
  { keys: 'Ctrl+Z', what: 'Undo', mod: true, key: 'z', run: () => useDocument.getState().undo() },
  {
    keys: 'Ctrl+Shift+Z',
    what: 'Redo',
    mod: true,
    key: 'z',
    shift: true,
    run: () => useDocument.getState().redo(),
  },
  { keys: 'Ctrl+Y', what: 'Redo', mod: true, key: 'y', run: () => useDocument.getState().redo() },
  {
    keys: 'Ctrl+C',
    what: 'Copy the selection',
    mod: true,
    key: 'c',
    run: () => void (clipboard = selected()),
  },
  { keys: 'Ctrl+V', what: 'Paste', mod: true, key: 'v', run: () => paste(clipboard, 'Paste') },
  {
    keys: 'Ctrl+D',
    what: 'Duplicate the selection',
    mod: true,
    key: 'd',
    run: () => paste(selected(), 'Duplicate'),
  },
  {
    keys: 'Ctrl+A',
    what: 'Select everything',
    mod: true,
    key: 'a',
    run: () =>
      useDocument.getState().select(
        shownGraph()
          .nodes.filter((n) => !isBoundaryNode(n))
          .map((n) => n.id),
      ),
  },
];

/** Listens for the shortcuts (not while typing in a field); `?` toggles help and Escape closes overlays. */
export function useShortcuts(toggleHelp: () => void, closeOverlays: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest('input, textarea, select')) return;
      const mod = e.ctrlKey || e.metaKey;
      const hit = SHORTCUTS.find(
        (s) => s.mod === mod && s.key === e.key.toLowerCase() && (s.shift ?? false) === e.shiftKey,
      );
      if (hit) {
        e.preventDefault();
        hit.run();
      } else if (e.key === '?') toggleHelp();
      else if (e.key === 'Escape') closeOverlays();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggleHelp, closeOverlays]);
}
