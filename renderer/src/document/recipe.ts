import { recipeProblem, writeField, type RecipeField } from '../../../shared/train/recipe-fields.ts';
import type { Capture } from '../../../shared/document/design-document.ts';
import {
  trainConfigSchema,
  type TrainConfig,
  type TrainConfigInput,
} from '../../../shared/train/train-config.ts';
import { useDocument } from './document-store.ts';

/** The document's recipe, checked: every field with its value or the schema's default (one per recipe). */
const checkedOf = new WeakMap<TrainConfigInput, TrainConfig>();
export function checkedRecipe(recipe: TrainConfigInput): TrainConfig {
  let config = checkedOf.get(recipe);
  if (!config) checkedOf.set(recipe, (config = trainConfigSchema.parse(recipe)));
  return config;
}

/** The open document's recipe, checked. */
export const currentRecipe = () => checkedRecipe(useDocument.getState().doc.recipe);

/** The document's recipe, checked (each field with its value or the schema's default). */
export const useRecipe = () => checkedRecipe(useDocument((s) => s.doc.recipe));

/** The batch and optimizer the document trains with: what the training-memory figures are for. */
export function useTrainingChoice() {
  const { batchSize, optimizer } = useRecipe();
  return { batch: batchSize, optimizer };
}

/**
 * Sets one recipe field: a recipe edit of the document (undoable, and unsaved until saved) under the
 * field's label. A value the schema refuses is not taken: what is wrong comes back, in words, for the field.
 */
export function setRecipeField(
  field: RecipeField,
  value: unknown,
  capture: Capture = 'merge',
): string | null {
  const recipe = writeField(useDocument.getState().doc.recipe, field, value);
  const parsed = trainConfigSchema.safeParse(recipe);
  if (parsed.success) useDocument.getState().editRecipe(parsed.data, field.label, capture);
  return parsed.success ? null : recipeProblem(recipe)!.words;
}
