import { join } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import type { ExportFormat } from '../../shared/api/designer-api.ts';
import { DOCUMENT_SUFFIX, safeFileName, type PathChooser } from '../host/document-service.ts';

const FILTERS: Record<ExportFormat | 'graph', { name: string; extensions: string[] }> = {
  graph: { name: 'Blockwise graph', extensions: ['blockwise.json', 'json'] },
  json: { name: 'Graph file (JSON)', extensions: ['json'] },
  svg: { name: 'SVG image', extensions: ['svg'] },
  png: { name: 'PNG image', extensions: ['png'] },
};

/** Where files go and come from, asked with the native dialogs: paths are only ever chosen in main. */
export function dialogPaths(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  window: () => BrowserWindow | null,
  documents: string,
): PathChooser {
  return {
    // Every platform's save dialog asks before replacing (Linux's once told to).
    asksBeforeReplacing: true,
    async open(): Promise<string | null> {
      const options = { defaultPath: documents, properties: ['openFile' as const], filters: [FILTERS.graph] };
      const owner = window();
      const r = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async save(suggestedName: string, format: ExportFormat | 'graph'): Promise<string | null> {
      const suffix = format === 'graph' ? DOCUMENT_SUFFIX : `.${format}`;
      const options = {
        defaultPath: join(documents, safeFileName(suggestedName, suffix)),
        filters: [FILTERS[format]],
        properties: ['showOverwriteConfirmation' as const],
      };
      const owner = window();
      const r = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}
