import { hostApi } from '../host/host-api.ts';
import { showOpened } from '../document/document-actions.ts';
import { hasUnsavedChanges, useDocument } from '../document/document-store.ts';
import { showStart } from './start-store.ts';

/**
 * What the app opens onto: work an earlier session did not save is offered back (the notice bar's), else
 * the document last opened or saved is reopened (the host decides which), else the start screen shows. Any
 * document opened, by any path, puts the start screen away. Returns the function that stops both.
 */
export function startOnLaunch(): () => void {
  let live = true;
  const unsubscribe = useDocument.subscribe((s, before) => {
    if (s.documentId !== before.documentId) showStart(false);
  });
  const first = useDocument.getState().documentId;
  // Nothing was opened or edited meanwhile (a file the desktop app was launched with, a quick click).
  const untouched = () => {
    const s = useDocument.getState();
    return live && s.documentId === first && !hasUnsavedChanges(s);
  };
  void (async () => {
    if (await hostApi.readRecovery().catch(() => null)) return;
    try {
      const last = await hostApi.lastDocument();
      if (untouched() && !(last && showOpened(last))) showStart(true);
    } catch (e) {
      if (!untouched()) return;
      useDocument.getState().notify({
        kind: 'error',
        text: `The last document was not reopened: ${(e as Error).message}.`,
      });
      showStart(true);
    }
  })();
  return () => {
    live = false;
    unsubscribe();
  };
}
