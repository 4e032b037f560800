import { KeyedQueue } from '../../../shared/keyed-queue.ts';
import { applyCommand } from '../../../shared/graph/commands.ts';
import { tidyLayout } from '../../../shared/layout/tidy-layout.ts';
import { emptyGraph, type Graph } from '../../../shared/graph/document.ts';
import type { OpenedDocument } from '../../../shared/api/designer-api.ts';
import { variantsFile, variantsOf, type GraphFile } from '../../../shared/graph/file-format.ts';
import { parseDesignFile, serializeDesignFile } from '../../../shared/blocks/design-file.ts';
import { documentRecipe, type Template } from '../../../shared/templates/template.ts';
import type { NetworkOptions } from '../../../shared/templates/network-builder.ts';
import { hostApi } from '../host/host-api.ts';
import { currentVariants, hasUnsavedChanges, inferenceOf, useDocument } from './document-store.ts';
import { ask } from '../ui/confirm-store.ts';
import { useDialogs } from '../ui/dialog-store.ts';

const current = () => useDocument.getState();

/**
 * The document's writes to the host (saves, the recovery file and its clearing), one after another in the
 * order made: sent side by side they could land in the order their bodies arrived (an earlier save won 28
 * of 30 races; an autosave outlived the save that cleared it in 9 of 10).
 */
const documentWrites = new KeyedQueue();
const inOrder = <T>(write: () => Promise<T>): Promise<T> => documentWrites.run('document', write);
/** The document as a file: the graph, and the training recipe set for it, so a reopened document keeps it. */
export const documentText = () => {
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

/**
 * Discards the recovered work: its clearing waits behind any autosave still being written, which would
 * otherwise land after it and bring the discarded file back.
 */
export const discardRecovery = (): Promise<void> => inOrder(() => hostApi.clearRecovery());

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
  current().open(applyCommand(graph, tidyLayout(graph)).graph, t.title, documentRecipe(undefined, t));
}

/** A new document: empty, or starting from the design given ("Build your own" gives it an Input and Output). */
export async function newDocument(graph: Graph = emptyGraph()): Promise<void> {
  if (!(await mayReplaceDocument())) return;
  current().open(graph, 'Untitled', documentRecipe(undefined));
}

/** Lays the current graph out again, as one undoable step. */
export function tidyDocument(): void {
  const { graph } = current().history;
  current().dispatch(tidyLayout(graph, inferenceOf(graph)), 'Tidy layout');
}

/** Opens a document through the host; a file that does not parse is explained and nothing changes. */
export async function openFromHost(path: string | null): Promise<void> {
  if (!(await mayReplaceDocument())) return;
  try {
    const opened = await hostApi.openDocument(path);
    if (opened) showOpened(opened);
  } catch (e) {
    current().notify({ kind: 'error', text: `Could not open: ${(e as Error).message}.` });
  }
}

/** Shows a document the host read; one that does not parse is explained, nothing changes, and it says false. */
export function showOpened(opened: OpenedDocument): boolean {
  const parsed = parseDesignFile(opened.text);
  if (parsed.ok) openParsed(parsed.value, opened.name, opened.path);
  else current().notify({ kind: 'error', text: `${opened.name} was not opened: ${parsed.error.message}` });
  return parsed.ok;
}
