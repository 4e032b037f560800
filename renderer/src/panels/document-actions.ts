import { applyCommand } from '../../../shared/graph/commands.ts';
import { graphFile, parseGraphFile, serializeGraphFile } from '../../../shared/graph/file-format.ts';
import { tidyLayout } from '../../../shared/graph/tidy-layout.ts';
import type { Template } from '../../../shared/templates/template.ts';
import type { ExportFormat } from '../../../shared/api/designer-api.ts';
import { diagramSvg, type Diagram } from '../../../shared/export/diagram-svg.ts';
import { hostApi } from '../host/host-api.ts';
import { scopeOf } from '../store/canvas-scope.ts';
import { useDocument } from '../store/document-store.ts';

const current = () => useDocument.getState();
const documentText = () => serializeGraphFile(graphFile(current().history.graph, current().name));

/** Saves where the document was last saved; a new document (or `as`, a name) goes where the host chooses. */
export async function saveDocument(as?: string): Promise<void> {
  const { path, name, markSaved, notify } = current();
  try {
    const request = as === undefined ? { path, suggestedName: name } : { path: null, suggestedName: as };
    const saved = await hostApi.saveDocument({ ...request, text: documentText() });
    if (!saved) return;
    markSaved(saved.path, saved.name);
    await hostApi.clearRecovery();
    notify({ kind: 'info', text: `Saved to ${saved.path}` });
  } catch (e) {
    notify({
      kind: 'error',
      text: `Could not save: ${(e as Error).message}. Your work is still here; try again or export it.`,
    });
  }
}

/** Opens a graph file's text; a bad file is explained and the open document stays as it is. */
export function importDocument(text: string, fileName: string): boolean {
  const parsed = parseGraphFile(text);
  if (!parsed.ok) {
    current().notify({ kind: 'error', text: `${fileName} was not opened: ${parsed.error.message}` });
    return false;
  }
  current().open(parsed.value.graph, parsed.value.meta.name || fileName);
  return true;
}

/** A drawing rasterized in the page: the PNG export is the SVG export, pixel for pixel. */
async function pngDataUrl({ svg, width, height }: Diagram): Promise<string> {
  // Twice the size for sharp text, but never past what a canvas can hold.
  const scale = Math.min(2, 8192 / Math.max(width, height));
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = Object.assign(document.createElement('canvas'), {
    width: Math.ceil(width * scale),
    height: Math.ceil(height * scale),
  });
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw the PNG');
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  return canvas.toDataURL('image/png');
}

/** Exports the graph file, or the diagram of what the canvas shows, through the host. */
export async function exportAs(format: ExportFormat): Promise<void> {
  const state = current();
  try {
    let data = documentText();
    if (format !== 'json') {
      const { graph, inference } = scopeOf(state);
      const diagram = diagramSvg(graph, inference, state.shapeOrder);
      data = format === 'svg' ? diagram.svg : await pngDataUrl(diagram);
    }
    const done = await hostApi.exportFile({ suggestedName: state.name, format, data });
    if (done) state.notify({ kind: 'info', text: `Exported to ${done.path}` });
  } catch (e) {
    state.notify({
      kind: 'error',
      text: `Could not export ${format.toUpperCase()}: ${(e as Error).message}.`,
    });
  }
}

/** Autosave: the unsaved document goes to the host's recovery file a second after each edit. */
export function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = useDocument.subscribe((s, before) => {
    if (s.history.graph === before.history.graph) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (s.history.graph !== current().savedGraph)
        void hostApi.writeRecovery(documentText()).catch(() => undefined);
    }, 1000);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

/** Opens a template as a new document, laid out. */
export async function openTemplate(t: Template): Promise<void> {
  const graph = t.build();
  current().open(applyCommand(graph, await tidyLayout(graph)).graph, t.title);
}

/** Lays the current graph out again, as one undoable step. */
export async function tidyDocument(): Promise<void> {
  current().dispatch(await tidyLayout(current().history.graph), 'Tidy layout');
}

/** Opens a document through the host; a file that does not parse is explained and nothing changes. */
export async function openFromHost(path: string | null): Promise<void> {
  try {
    const opened = await hostApi.openDocument(path);
    if (!opened) return;
    const parsed = parseGraphFile(opened.text);
    if (!parsed.ok)
      return current().notify({
        kind: 'error',
        text: `${opened.name} was not opened: ${parsed.error.message}`,
      });
    current().open(parsed.value.graph, opened.name, opened.path);
  } catch (e) {
    current().notify({ kind: 'error', text: `Could not open: ${(e as Error).message}.` });
  }
}
