import { useEffect } from 'react';
import { connectHost } from './connect-host.ts';
import { startAutosave } from '../document/document-actions.ts';
import { useShortcuts } from './shortcuts.ts';
import { hasUnsavedChanges, useDocument } from '../document/document-store.ts';
import { followDocument } from '../training/training-actions.ts';
import { startOnLaunch } from '../start/launch.ts';

/**
 * The app-wide side effects, in one place at the app's root: the host's events, what the app opens onto (the
 * recovered work, the last document or the start screen), autosave to the recovery file, the Train panel following the open document, the editor's shortcuts, and the window title (• when there is unsaved work).
 */
export function useAppEffects(): void {
  useEffect(() => connectHost(), []);
  useEffect(() => startAutosave(), []);
  useEffect(() => followDocument(), []);
  useEffect(() => startOnLaunch(), []);
  useShortcuts();
  const name = useDocument((s) => s.name);
  const unsaved = useDocument(hasUnsavedChanges);
  useEffect(() => {
    document.title = `${unsaved ? '• ' : ''}${name} — Blockwise`;
  }, [name, unsaved]);
}
