import { applyCommand } from '../../../shared/graph/commands.ts';
import { graphFile, parseGraphFile, serializeGraphFile } from '../../../shared/graph/file-format.ts';
import { tidyLayout } from '../../../shared/graph/tidy-layout.ts';
import type { Template } from '../../../shared/templates/template.ts';
import { hostApi } from '../host/host-api.ts';
import { useDocument } from '../store/document-store.ts';

const current = () => useDocument.getState();
const documentText = () => serializeGraphFile(graphFile(current().history.graph, current().name));

export async function saveDocument(): Promise<void> {
  const { path, name, markSaved, notify } = current();
  try {
    const saved = await hostApi.saveDocument({ path, suggestedName: name, text: documentText() });
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

export function exportDocument(): void {
  const url = URL.createObjectURL(new Blob([documentText()], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), {
    href: url,
    download: `${current().name}.blockwise.json`,
  });
  a.click();
  URL.revokeObjectURL(url);
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
