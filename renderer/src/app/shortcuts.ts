import { useEffect } from 'react';
import {
  editorCommands,
  parseAccelerator,
  type EditorCommandId,
} from '../../../shared/api/editor-commands.ts';
import { useCompare } from '../compare/compare-store.ts';
import { useDocument } from '../document/document-store.ts';
import { useConfirm } from '../ui/confirm-store.ts';
import { useDialogs } from '../ui/dialog-store.ts';
import { leaveTrainFullWindow } from '../train/panel-place.ts';
import { runCommand } from './editor-actions.ts';
import { showStart, useStart } from '../start/start-store.ts';

const KEYED = editorCommands.flatMap((c) =>
  'accelerator' in c ? [{ id: c.id, ...parseAccelerator(c.accelerator) }] : [],
);

/**
 * The one answer to Escape, topmost first: the open question is cancelled, else the dialog on top closes,
 * else the compare view, else the start screen, else the Train panel over the whole window goes back under
 * the canvas, else the open block closes. One thing per press (a second listener once closed the compare
 * view and a dialog over it together).
 */
export function escape(): void {
  const confirm = useConfirm.getState();
  if (confirm.question) return confirm.settle(null);
  const dialogs = useDialogs.getState();
  if (dialogs.dialog) return dialogs.show(null);
  if (useCompare.getState().open) return useCompare.setState({ open: false });
  if (useStart.getState().shown) return showStart(false);
  if (leaveTrainFullWindow()) return;
  const { openBlocks, showDepth } = useDocument.getState();
  showDepth(openBlocks.length - 1);
}

/** Commands whose keys mean nothing to a text field: they work while typing, the field committed first. */
const IN_FIELDS: ReadonlySet<EditorCommandId> = new Set(['save', 'saveAs', 'open', 'new']);

/** Listens for the editor's shortcuts, from the shared command table (most not while typing in a field). */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Escape works everywhere, in a text field too; the other keys are the field's while typing.
      if (e.key === 'Escape') return escape();
      const mod = e.ctrlKey || e.metaKey;
      // "?" is Shift+/ on most layouts: its own key decides, not the Shift state.
      const hit = KEYED.find(
        (s) => s.mod === mod && s.key === e.key.toLowerCase() && (s.key === '?' || s.shift === e.shiftKey),
      );
      if (!hit) return;
      const field = (e.target as HTMLElement).closest<HTMLElement>('input, textarea, select');
      if (field && !IN_FIELDS.has(hit.id)) return;
      e.preventDefault();
      // Leaving the field commits what was typed (Ctrl+S in the inspector saved nothing before).
      field?.blur();
      runCommand(hit.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
