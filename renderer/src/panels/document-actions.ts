import { KeyedQueue } from '../../../shared/keyed-queue.ts';
import { applyCommand } from '../../../shared/graph/commands.ts';
import { emptyGraph, type Graph } from '../../../shared/graph/document.ts';
import { importKerasModel, looksLikeKerasModel } from '../../../shared/import/keras-model.ts';
import { variantsFile, variantsOf, type GraphFile } from '../../../shared/graph/file-format.ts';
import { parseDesignFile, serializeDesignFile } from '../../../shared/blocks/design-file.ts';
import { tidyLayout } from '../../../shared/graph/tidy-layout.ts';
import { documentRecipe, type Template } from '../../../shared/templates/template.ts';
import type { NetworkOptions } from '../../../shared/templates/network-builder.ts';
import type { ExportFormat } from '../../../shared/api/designer-api.ts';
import { diagramSvg, type Diagram } from '../../../shared/export/diagram-svg.ts';
import { kerasScript } from '../../../shared/export/keras/keras-script.ts';
import { hostApi } from '../host/host-api.ts';
import { scopeOf } from '../store/canvas-scope.ts';
import { currentVariants, hasUnsavedChanges, useDocument } from '../store/document-store.ts';
import { ask } from './confirm-store.ts';
import { useDialogs } from './dialog-store.ts';
import { designProjectZip } from '../train/pytorch-zip.ts';
import { deliverExport } from '../host/deliver-export.ts';
import { keepImportedWeights } from './imported-weights.ts';

const current = () => useDocument.getState();

/**
 * The document's writes to the host (saves, the recovery file and its clearing), one after another in the
 * order made: sent side by side they could land in the order their bodies arrived (an earlier save won 28
 * of 30 races; an autosave outlived the save that cleared it in 9 of 10).
 */
const documentWrites = new KeyedQueue();
const inOrder = <T>(write: () => Promise<T>): Promise<T> => documentWrites.run('document', write);
/** The document as a file: the graph, and the training recipe set for it, so a reopened document keeps it. */
const documentText = () => {
  const s = current();
  return serializeDesignFile(variantsFile(currentVariants(s), s.variant, s.name, s.doc.recipe));
};

/**
 * The open document's graph file, read: its variants, and its recipe (or the default). `restored`: recovered
 * work, which stays unsaved until saved, so nothing replaces it without asking, and keeps its draft's runs.
 */
export function openParsed(
  file: GraphFile,
  name: string,
  path: string | null = null,
  restored?: { draft?: string },
): void {
  const { variants, shown } = variantsOf(file);
  const recipe = documentRecipe(file.meta.recipe);
  current().openVariants({
    variants,
    shown,
    name,
    path,
    recipe,
    restored: !!restored,
    draft: restored?.draft,
  });
}

/**
 * Saves where the document was last saved. A document never saved asks for a name first (Save as…); a
 * name that is taken is replaced only once the user says so. Resolves to whether it was saved.
 */
export async function saveDocument(as?: string, replace = false): Promise<boolean> {
  const { path, name, markSaved, notify } = current();
  if (as === undefined && path === null) {
    useDialogs.getState().show('saveAs');
    return false;
  }
  // Save as… under its own name is a save in place: no question, and its runs stay its own.
  if (as !== undefined && as === name && path !== null) return saveDocument();
  try {
    const request =
      as === undefined
        ? { path, suggestedName: name }
        : { path: null, suggestedName: as, from: path, draft: current().doc.draft };
    const saved = await inOrder(() => hostApi.saveDocument({ ...request, text: documentText(), replace }));
    if (saved.status === 'exists') return (await confirmReplace(saved.name)) && saveDocument(as, true);
    if (saved.status === 'cancelled') return false;
    markSaved(saved.path, saved.name);
    await inOrder(() => hostApi.clearRecovery());
    notify({ kind: 'info', text: `Saved to ${saved.path}` });
    return true;
  } catch (e) {
    notify({
      kind: 'error',
      text: `Could not save: ${(e as Error).message}. Your work is still here; try again or export it.`,
    });
    return false;
  }
}

async function confirmReplace(name: string): Promise<boolean> {
  const answer = await ask({
    title: 'Replace the document?',
    text: `A document named “${name}” already exists. Replacing it keeps its last version as .bak.`,
    choices: [{ id: 'replace', label: 'Replace' }],
  });
  return answer === 'replace';
}

/**
 * Whether the open document may be replaced by another (New, Open, a template, Import, a recovery): with
 * unsaved changes the user chooses to save them first, discard them, or stay.
 */
export async function mayReplaceDocument(): Promise<boolean> {
  if (!hasUnsavedChanges(current())) return true;
  const { name, path } = current();
  const answer = await ask({
    title: 'Unsaved changes',
    text: path
      ? `“${name}” has unsaved changes.`
      : `“${name}” has never been saved. Cancel, then Save as…, to keep it.`,
    choices: [
      { id: 'discard', label: 'Discard changes' },
      ...(path ? [{ id: 'save', label: 'Save, then continue' }] : []),
    ],
    ...(path ? { safe: 'save' } : {}),
  });
  if (answer === 'save') return saveDocument();
  return answer === 'discard';
}

/** A Keras or tfjs model's JSON, when the text is one: its graph, laid out, or why it cannot be imported. */
async function importedModel(
  text: string,
): Promise<
  { graph: Graph; name: string; weightSources: Record<string, string> } | { problem: string } | null
> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (!looksLikeKerasModel(json)) return null;
  const imported = importKerasModel(text);
  if (!imported.ok) return { problem: imported.error };
  const { graph, name, weightSources } = imported.value;
  return { graph: applyCommand(graph, await tidyLayout(graph)).graph, name, weightSources };
}

/**
 * Opens a graph file, or imports a Keras or tfjs model (its layers become nodes; with its weight files
 * picked beside it, its weights become a run); a bad file is explained and the open document stays as it is.
 */
export async function importFiles(files: readonly File[]): Promise<boolean> {
  const main = files.find((f) => /\.json$/i.test(f.name)) ?? files[0];
  if (!main) return false;
  const text = await main.text();
  const model = await importedModel(text);
  if (!(await importDocument(text, main.name, model))) return false;
  if (model && !('problem' in model))
    await keepImportedWeights({ text, fileName: main.name, weightSources: model.weightSources }, files);
  return true;
}

/** Opens a graph file's text, or the model imported from it (`model`, when it was one). */
async function importDocument(
  text: string,
  fileName: string,
  model: Awaited<ReturnType<typeof importedModel>>,
): Promise<boolean> {
  if (model && 'problem' in model) {
    current().notify({ kind: 'error', text: `${fileName} was not imported: ${model.problem}.` });
    return false;
  }
  if (model) {
    if (!(await mayReplaceDocument())) return false;
    current().open(model.graph, model.name, documentRecipe(undefined));
    current().notify({ kind: 'info', text: `Imported ${fileName}: ${model.graph.nodes.length} nodes.` });
    return true;
  }
  const parsed = parseDesignFile(text);
  if (!parsed.ok) {
    current().notify({ kind: 'error', text: `${fileName} was not opened: ${parsed.error.message}` });
    return false;
  }
  if (!(await mayReplaceDocument())) return false;
  openParsed(parsed.value, parsed.value.meta.name || fileName);
  return true;
}

/** A drawing rasterized in the page: the PNG export is the SVG export, pixel for pixel. */
export async function pngDataUrl({ svg, width, height }: Diagram): Promise<string> {
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

/** Autosave: the unsaved document goes to the host's recovery file a second after each edit. */
export function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = useDocument.subscribe((s, before) => {
    if (s.doc === before.doc) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      // Queued behind any save: a save after it clears it; one before it leaves nothing unsaved to keep.
      void inOrder(async () => {
        if (hasUnsavedChanges(current())) await hostApi.writeRecovery(documentText(), current().doc.draft);
      }).catch(() => undefined);
    }, 1000);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

/** Opens a template as a new document, laid out, built for the classes and channels asked. */
export async function openTemplate(t: Template, options: NetworkOptions = {}): Promise<void> {
  if (!(await mayReplaceDocument())) return;
  const graph = t.build(options);
  // The template's own recipe comes with it: a first run with it learns.
  current().open(applyCommand(graph, await tidyLayout(graph)).graph, t.title, documentRecipe(undefined, t));
}

/** A new, empty document. */
export async function newDocument(): Promise<void> {
  if (!(await mayReplaceDocument())) return;
  current().open(emptyGraph(), 'Untitled', documentRecipe(undefined));
}

/** Lays the current graph out again, as one undoable step. */
export async function tidyDocument(): Promise<void> {
  current().dispatch(await tidyLayout(current().history.graph), 'Tidy layout');
}

/** Opens a document through the host; a file that does not parse is explained and nothing changes. */
export async function openFromHost(path: string | null): Promise<void> {
  if (!(await mayReplaceDocument())) return;
  try {
    const opened = await hostApi.openDocument(path);
    if (!opened) return;
    const parsed = parseDesignFile(opened.text);
    if (!parsed.ok)
      return current().notify({
        kind: 'error',
        text: `${opened.name} was not opened: ${parsed.error.message}`,
      });
    openParsed(parsed.value, opened.name, opened.path);
  } catch (e) {
    current().notify({ kind: 'error', text: `Could not open: ${(e as Error).message}.` });
  }
}
