import type { EditorCommandId } from '../../../shared/api/editor-commands.ts';
import { isBoundaryNode } from '../../../shared/blocks/block-kind.ts';
import { copyNodes, pasteNodes, type Clip } from '../../../shared/graph/copy-nodes.ts';
import { isDesktopHost } from '../host/host-api.ts';
import { dispatchInScope, scopeOf } from '../store/canvas-scope.ts';
import { useDocument } from '../store/document-store.ts';
import { useDialogs } from './dialog-store.ts';
import { useCompare } from '../compare/compare-store.ts';
import { duplicateVariant } from '../variants/variant-actions.ts';
import { exportAs, newDocument, openFromHost, saveDocument, tidyDocument } from './document-actions.ts';

let clipboard: Clip | null = null;

/** Copy, paste and select all act on what the canvas shows: the document or the open block. */
const shownGraph = () => scopeOf(useDocument.getState()).graph;

function paste(clip: Clip | null, label: string): void {
  if (!clip || clip.nodes.length === 0) return;
  const { command, ids } = pasteNodes(shownGraph(), clip);
  if (dispatchInScope(command, label)) useDocument.getState().select(ids);
}

const selected = () => copyNodes(shownGraph(), useDocument.getState().selection);
const doc = () => useDocument.getState();
const show = useDialogs.getState().show;

/** What each editor command does, whether it came from a key, a button or the desktop app's menu. */
const ACTIONS: Record<EditorCommandId, () => void> = {
  new: () => void newDocument(),
  // The desktop app asks with its own dialog; browser mode lists the documents it offers.
  open: () => (isDesktopHost ? void openFromHost(null) : show('open')),
  save: () => void saveDocument(),
  saveAs: () => show('saveAs'),
  exportJson: () => void exportAs('json'),
  exportSvg: () => void exportAs('svg'),
  exportPng: () => void exportAs('png'),
  undo: () => doc().undo(),
  redo: () => doc().redo(),
  redoAlt: () => doc().redo(),
  copy: () => void (clipboard = selected()),
  paste: () => paste(clipboard, 'Paste'),
  duplicate: () => paste(selected(), 'Duplicate'),
  selectAll: () =>
    doc().select(
      shownGraph()
        .nodes.filter((n) => !isBoundaryNode(n))
        .map((n) => n.id),
    ),
  makeBlock: () => doc().selection.length > 0 && show('makeBlock'),
  tidy: () => void tidyDocument(),
  summary: () => show('summary'),
  duplicateVariant: () => duplicateVariant(),
  sweep: () => show('sweep'),
  compare: () => useCompare.setState((s) => ({ open: !s.open })),
  shortcuts: () => show(useDialogs.getState().dialog === 'help' ? null : 'help'),
};

export function runCommand(id: EditorCommandId): void {
  ACTIONS[id]();
}
