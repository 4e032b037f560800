import type { Graph } from '../../../shared/graph/document.ts';
import { dataFit } from '../../../shared/train/data-fit.ts';
import { trainingMemoryProblem } from '../../../shared/train/training-memory.ts';
import type { Diagnostic } from '../../../shared/shapes/diagnostic.ts';
import { trainConfigSchema } from '../../../shared/train/train-config.ts';
import { recipeField, writeField } from '../../../shared/train/recipe-fields.ts';
import { currentVariants, inferenceOf, useDocument } from '../document/document-store.ts';
import { currentRecipe } from '../document/recipe.ts';
import { chosenDataset, useTraining } from './training-store.ts';

/** The whole recipe to train with: the document's, with the resize the data needs. */
export const configFor = (resize: number | null) =>
  trainConfigSchema.parse(writeField(useDocument.getState().doc.recipe, recipeField('resize'), resize));

/** How a graph fits the chosen data: the resize it needs and the problems, at their nodes. */
export function fitOf(graph: Graph) {
  const recipe = currentRecipe();
  const data = chosenDataset(useTraining.getState());
  if (!data) return { resize: null, problems: [] };
  const inference = inferenceOf(graph);
  const fit = dataFit(graph, inference, { shape: data.shape, classes: data.classes.length });
  const tooLarge = trainingMemoryProblem(inference.totals, recipe.batchSize, recipe.optimizer);
  if (!tooLarge) return fit;
  const problem: Diagnostic = { severity: 'error', code: 'tooLarge', message: tooLarge };
  return { ...fit, problems: [...fit.problems, problem] };
}

/** How the shown design fits the chosen data. */
export const currentFit = () => fitOf(useDocument.getState().history.graph);

/**
 * A design to train: its graph, the name its run records (the variant's, when there are several), and its
 * variant's id, which the run records so it belongs to that variant.
 */
export interface DesignToTrain {
  graph: Graph;
  name: string;
  variantId: string;
}

/** The shown design, or the variant at `index`. */
export function designToTrain(index?: number): DesignToTrain {
  const s = useDocument.getState();
  const variants = currentVariants(s);
  const v = variants[index ?? s.variant]!;
  return { graph: v.graph, name: variants.length > 1 ? v.name : s.name, variantId: v.id };
}
