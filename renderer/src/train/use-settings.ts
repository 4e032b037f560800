import { useMemo } from 'react';
import { useDocument } from '../store/document-store.ts';
import { recipeSettings } from './training-actions.ts';
import { useTraining, type TrainingSettings } from './training-store.ts';

/** The Train panel's settings: the document's recipe as the form shows it, and where this machine trains. */
export function useSettings(): TrainingSettings {
  const recipe = useDocument((s) => s.doc.recipe);
  const machine = useTraining((s) => s.machine);
  return useMemo(() => ({ ...recipeSettings(recipe), ...machine }), [recipe, machine]);
}

/** The batch and optimizer the document trains with: what the training-memory figures are for. */
export function useTrainingChoice() {
  const recipe = useDocument((s) => s.doc.recipe);
  return { batch: recipe.batchSize ?? 128, optimizer: recipe.optimizer ?? { kind: 'sgd' as const } };
}
