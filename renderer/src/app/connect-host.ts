import { openFromHost } from '../document/document-actions.ts';
import { runCommand } from './editor-actions.ts';
import { hasUnsavedChanges, useDocument } from '../document/document-store.ts';
import { hostApi, onHostEvent } from '../host/host-api.ts';

/**
 * Keeps the host in step with the UI: it hears the document's name and unsaved state (the desktop app titles
 * its window and asks before closing with unsaved work), and the UI hears the host's menu commands and files.
 */
export function connectHost(): () => void {
  let last = '';
  const report = () => {
    const doc = useDocument.getState();
    const state = { name: doc.name, unsaved: hasUnsavedChanges(doc) };
    const key = JSON.stringify(state);
    if (key === last) return;
    last = key;
    void hostApi.reportDocumentState(state).catch(() => undefined);
  };
  report();
  const unsubscribe = useDocument.subscribe(report);
  const stopEvents = onHostEvent((event) =>
    event.kind === 'command' ? runCommand(event.id) : void openFromHost(event.path),
  );
  return () => {
    unsubscribe();
    stopEvents();
  };
}
