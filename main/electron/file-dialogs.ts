import { join } from 'node:path';
import type { BrowserWindow, Dialog, OpenDialogOptions } from 'electron';
import type { ExportFormat } from '../../shared/api/designer-api.ts';
import { HostRefusal } from '../../shared/api/designer-calls.ts';
import { DOCUMENT_SUFFIX, safeFileName, type PathChooser } from '../host/document-service.ts';

const FILTERS: Record<ExportFormat | 'graph', { name: string; extensions: string[] }> = {
  graph: { name: 'Blockwise graph', extensions: ['blockwise.json', 'json'] },
  json: { name: 'Graph file (JSON)', extensions: ['json'] },
  svg: { name: 'SVG image', extensions: ['svg'] },
  png: { name: 'PNG image', extensions: ['png'] },
  zip: { name: 'ZIP archive', extensions: ['zip'] },
  csv: { name: 'CSV table', extensions: ['csv'] },
  py: { name: 'Python script', extensions: ['py'] },
};

/** Where files go and come from, asked with the native dialogs: paths are only ever chosen in main. */
export function dialogPaths(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  window: () => BrowserWindow | null,
  documents: string,
): PathChooser {
  const pickOne = async (options: OpenDialogOptions): Promise<string | null> => {
    const owner = window();
    const r = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  };
  return {
    // Every platform's save dialog asks before replacing (Linux's once told to).
    asksBeforeReplacing: true,
    async open(): Promise<string | null> {
      return pickOne({ defaultPath: documents, properties: ['openFile'], filters: [FILTERS.graph] });
    },
    async datasetFolder(typed: string | null): Promise<string | null> {
      // The page never names a folder here: the user picks one in the dialog.
      if (typed !== null) throw new HostRefusal('the desktop app adds dataset folders with its dialog');
      return pickOne({ defaultPath: documents, properties: ['openDirectory'] });
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
