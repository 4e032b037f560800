import type { ExportFormat } from '../../../shared/api/designer-api.ts';
import { diagramSvg } from '../../../shared/export/diagram-svg.ts';
import { kerasScript } from '../../../shared/export/keras/keras-script.ts';
import { scopeOf } from '../document/canvas-scope.ts';
import { deliverExport } from '../document/deliver-export.ts';
import { documentText } from '../document/document-actions.ts';
import { useDocument } from '../document/document-store.ts';
import { designProjectZip } from '../training/pytorch-zip.ts';
import { pngDataUrl } from '../ui/png-data-url.ts';

const current = () => useDocument.getState();

/** The shown design as a Keras 3 script; a node Keras cannot express is named. */
function kerasText(): string {
  const { history, name } = current();
  const script = kerasScript(history.graph, name);
  if (script.ok) return script.value;
  const where = script.error.nodeId ? ` (node ${script.error.nodeId})` : '';
  throw new Error(`Keras cannot express this design${where}: ${script.error.message}`);
}

/** The exports of the document (a comparison's CSV is the compare view's). */
export type DocumentExport = Exclude<ExportFormat, 'csv'>;

/** What an export holds: the graph file, the diagram of what the canvas shows, or a PyTorch project. */
async function exportData(format: DocumentExport): Promise<string> {
  if (format === 'json') return documentText();
  if (format === 'zip') return designProjectZip();
  if (format === 'py') return kerasText();
  const state = current();
  const { graph, inference } = scopeOf(state);
  const diagram = diagramSvg(graph, inference, state.shapeOrder);
  return format === 'svg' ? diagram.svg : pngDataUrl(diagram);
}

/** What an export's file name adds to the document's, where the format alone would not say what it is. */
const EXPORT_SUFFIX: Partial<Record<DocumentExport, string>> = { zip: ' PyTorch', py: ' keras' };

/** Exports the graph file, the diagram of what the canvas shows, or the design as PyTorch or Keras code. */
export async function exportAs(format: DocumentExport): Promise<void> {
  const state = current();
  try {
    const data = await exportData(format);
    await deliverExport(`${state.name}${EXPORT_SUFFIX[format] ?? ''}`, format, data);
  } catch (e) {
    state.notify({
      kind: 'error',
      text: `Could not export ${format.toUpperCase()}: ${(e as Error).message}.`,
    });
  }
}
