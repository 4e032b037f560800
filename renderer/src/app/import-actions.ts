import { STATE_DICT_FILE } from '../../../shared/api/designer-api.ts';
import { applyCommand } from '../../../shared/graph/commands.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import { importKerasModel, looksLikeKerasModel } from '../../../shared/import/keras-model.ts';
import { parseDesignFile } from '../../../shared/blocks/design-file.ts';
import { tidyLayout } from '../../../shared/layout/tidy-layout.ts';
import { documentRecipe } from '../../../shared/templates/template.ts';
import { mayReplaceDocument, openParsed } from '../document/document-actions.ts';
import { useDocument } from '../document/document-store.ts';
import { keepImportedStateDict, keepImportedWeights } from './imported-weights.ts';

const current = () => useDocument.getState();

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
  return { graph: applyCommand(graph, tidyLayout(graph)).graph, name, weightSources };
}

/**
 * Opens a graph file, or imports a Keras or tfjs model (its layers become nodes; with its weight files
 * picked beside it, its weights become a run), or a PyTorch state_dict's weights into the open design (kept
 * as a run); a bad file is explained and the open document stays as it is.
 */
export async function importFiles(files: readonly File[]): Promise<boolean> {
  const stateDict = files.find((f) => STATE_DICT_FILE.test(f.name));
  if (stateDict) {
    await keepImportedStateDict(stateDict);
    return true;
  }
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
