import type { ExportFormat } from '../../../shared/api/designer-api.ts';
import { useDocument } from './document-store.ts';
import { downloadFile, fromBase64 } from '../host/download.ts';
import { hostApi, isDesktopHost } from '../host/host-api.ts';

const MIME: Record<ExportFormat, string> = {
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  zip: 'application/zip',
  csv: 'text/csv',
  py: 'text/x-python',
};

/** Browser mode: the export is the browser's download, to wherever the user keeps downloads. */
function download(fileName: string, data: string, format: ExportFormat): void {
  // A PNG or a ZIP comes as a base64 data URL; the page's CSP allows no fetch of data: URLs, so it is decoded here.
  const binary = format === 'png' || format === 'zip';
  const bytes = binary ? fromBase64(data.slice(data.indexOf(',') + 1)) : data;
  downloadFile(fileName, bytes, MIME[format]);
  useDocument.getState().notify({ kind: 'info', text: `Downloaded ${fileName}` });
}

/** Hands an export over: to the browser's downloads in browser mode, through the host's dialog in the app. */
export async function deliverExport(name: string, format: ExportFormat, data: string): Promise<void> {
  if (!isDesktopHost) return download(`${name}.${format}`, data, format);
  const done = await hostApi.exportFile({ suggestedName: name, format, data });
  if (done) useDocument.getState().notify({ kind: 'info', text: `Exported to ${done.path}` });
}
