import { useEffect, useState } from 'react';
import { parseDesignFile } from '../../../shared/blocks/design-file.ts';
import type { Recovery } from '../../../shared/api/designer-api.ts';
import { hostApi } from '../host/host-api.ts';
import { useDocument } from '../document/document-store.ts';
import { discardRecovery, mayReplaceDocument, openParsed } from '../document/document-actions.ts';

/** Messages (errors say what to do next), and the offer to restore work an earlier session did not save. */
export function NoticeBar() {
  const { notice, notify } = useDocument();
  const [recovery, setRecovery] = useState<Recovery | null>(null);
  useEffect(() => {
    void hostApi
      .readRecovery()
      .then((r) => r && setRecovery(r))
      .catch(() => undefined);
  }, []);
  const restore = async () => {
    if (!(await mayReplaceDocument())) return;
    const parsed = recovery && parseDesignFile(recovery.text);
    if (recovery && parsed?.ok)
      openParsed(parsed.value, `${parsed.value.meta.name} (recovered)`, null, { draft: recovery.draft });
    else notify({ kind: 'error', text: 'The recovered work could not be read.' });
    setRecovery(null);
  };
  return (
    <>
      {recovery && (
        <div className="notice info" role="status">
          Unsaved work from {new Date(recovery.savedAt).toLocaleString()} was found.
          <button onClick={() => void restore()}>Restore it</button>
          <button onClick={() => void discardRecovery().then(() => setRecovery(null))}>Discard</button>
        </div>
      )}
      {notice && (
        <div
          className={`notice ${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="notice"
        >
          {notice.text}
          <button onClick={() => notify(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
    </>
  );
}
