import type { EditorCommandId } from '../../../shared/api/editor-commands.ts';
import { isBoundaryNode } from '../../../shared/blocks/block-kind.ts';
import { copyNodes, pasteNodes, type Clip } from '../../../shared/graph/copy-nodes.ts';
import { isDesktopHost } from '../host/host-api.ts';
import { deleteCanvasSelection, dispatchInScope, scopeOf } from '../document/canvas-scope.ts';
import { useDocument } from '../document/document-store.ts';
import { nextLabel } from '../../../shared/document/design-document.ts';
import { useDialogs } from '../ui/dialog-store.ts';
import { useCompare } from '../compare/compare-store.ts';
import { duplicateVariant } from '../variants/variant-actions.ts';
import { newDocument, openFromHost, saveDocument, tidyDocument } from '../document/document-actions.ts';
import { exportAs } from './export-actions.ts';
import { showStart, useStart } from '../start/start-store.ts';
import { toggleTrainFullWindow, toggleTrainPanel } from '../train/panel-place.ts';

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

/** A command: what it does, and when it can (a command that cannot does nothing, by any path). */
interface EditorAction {
  run(): void;
  enabled?(): boolean;
}

/** Edits are allowed: on the document, or inside a user block (a built-in block's inside is read-only). */
const editable = () => scopeOf(doc()).editable;
const hasSelection = () => doc().selection.length > 0;

/** What each editor command does, whether it came from a key, a button or the desktop app's menu. */
const ACTIONS: Record<EditorCommandId, EditorAction> = {
  start: { run: () => showStart(!useStart.getState().shown) },
  new: { run: () => void newDocument() },
  // The desktop app asks with its own dialog; browser mode lists the documents it offers.
  open: { run: () => (isDesktopHost ? void openFromHost(null) : show('open')) },
  save: { run: () => void saveDocument() },
  saveAs: { run: () => show('saveAs') },
  exportJson: { run: () => void exportAs('json') },
  exportSvg: { run: () => void exportAs('svg') },
  exportPng: { run: () => void exportAs('png') },
  // The document's own steps (variants, the recipe) undo too, in the order made among the canvas's.
  undo: { run: () => doc().undo(), enabled: () => nextLabel(doc().doc, 'past') !== null },
  redo: { run: () => doc().redo(), enabled: () => nextLabel(doc().doc, 'future') !== null },
  redoAlt: { run: () => doc().redo(), enabled: () => nextLabel(doc().doc, 'future') !== null },
  copy: { run: () => void (clipboard = selected()), enabled: hasSelection },
  paste: {
    run: () => paste(clipboard, 'Paste'),
    enabled: () => editable() && (clipboard?.nodes.length ?? 0) > 0,
  },
  duplicate: { run: () => paste(selected(), 'Duplicate'), enabled: () => editable() && hasSelection() },
  selectAll: {
    run: () =>
      doc().select(
        shownGraph()
          .nodes.filter((n) => !isBoundaryNode(n))
          .map((n) => n.id),
      ),
  },
  delete: { run: deleteCanvasSelection, enabled: editable },
  deleteAlt: { run: deleteCanvasSelection, enabled: editable },
  makeBlock: { run: () => show('makeBlock'), enabled: () => editable() && hasSelection() },
  tidy: { run: () => void tidyDocument(), enabled: editable },
  summary: { run: () => show('summary') },
  duplicateVariant: { run: () => duplicateVariant() },
  sweep: { run: () => show('sweep') },
  trainPanel: { run: toggleTrainPanel },
  trainFullWindow: { run: toggleTrainFullWindow },
  compare: { run: () => useCompare.setState((s) => ({ open: !s.open })) },
  shortcuts: { run: () => show(useDialogs.getState().dialog === 'help' ? null : 'help') },
};

/** The canvas's edits: held while the start screen covers it (Delete there removed a node out of sight). */
const CANVAS_EDITS: ReadonlySet<EditorCommandId> = new Set<EditorCommandId>([
  'undo',
  'redo',
  'redoAlt',
  'paste',
  'duplicate',
  'selectAll',
  'delete',
  'deleteAlt',
  'makeBlock',
  'tidy',
]);

/** Whether a command can run now: buttons show it, and keys and the menu are held to it alike. */
export const commandEnabled = (id: EditorCommandId): boolean =>
  !(CANVAS_EDITS.has(id) && useStart.getState().shown) && (ACTIONS[id].enabled?.() ?? true);

export function runCommand(id: EditorCommandId): void {
  if (commandEnabled(id)) ACTIONS[id].run();
}
