import { useMemo } from 'react';
import type { Diagnostic } from '../../../shared/shapes/diagnostic.ts';
import { useScope } from '../document/canvas-scope.ts';
import { useDocument } from '../document/document-store.ts';
import { currentFit } from './design-fit.ts';
import { useTraining } from './training-store.ts';
import { useRecipe } from '../document/recipe.ts';

const NO_FIT: ReturnType<typeof currentFit> = { resize: null, problems: [] };

/**
 * How the shown design fits the data chosen (the resize it needs, and the problems: classes, channels, the
 * memory its batch needs), again whenever the design, the data or the settings change. The Train panel and
 * Problems read it; `enabled` false gives no problems without computing any.
 */
export function useCurrentFit(enabled = true): ReturnType<typeof currentFit> {
  const graph = useDocument((s) => s.history.graph);
  const datasetId = useTraining((s) => s.datasetId);
  const datasets = useTraining((s) => s.datasets);
  const recipe = useRecipe();
  // currentFit reads these from the stores: they are what it depends on.
  return useMemo(() => (enabled ? currentFit() : NO_FIT), [enabled, graph, datasetId, datasets, recipe]);
}

/**
 * How the design misfits the data chosen, as problems at its nodes (classes at the Output, channels at the
 * Input): while the Train panel is open and the canvas shows the document. Problems lists them and the
 * canvas marks their nodes, as it does shape problems.
 */
export function useFitProblems(): readonly Diagnostic[] {
  const training = useTraining((s) => s.open);
  const { inside } = useScope();
  return useCurrentFit(training && inside === null).problems;
}
