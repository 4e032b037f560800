import { useDocument } from '../store/document-store.ts';
import { checkedRecipe } from './training-actions.ts';

/** The document's recipe, checked (each field with its value or the schema's default). */
export const useRecipe = () => checkedRecipe(useDocument((s) => s.doc.recipe));

/** The batch and optimizer the document trains with: what the training-memory figures are for. */
export function useTrainingChoice() {
  const { batchSize, optimizer } = useRecipe();
  return { batch: batchSize, optimizer };
}
