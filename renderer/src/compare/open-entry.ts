import type { ComparisonEntry } from '../../../shared/compare/comparison-rows.ts';
import { useDocument } from '../document/document-store.ts';
import { useTraining } from '../training/training-store.ts';
import { useCompare } from './compare-store.ts';

/** Opens a row of the comparison: its variant on the canvas and, for a run, the run in the Train panel. */
export function openEntry(entry: ComparisonEntry): void {
  if (entry.variant !== null) useDocument.getState().showVariant(entry.variant);
  const run = entry.runId && useTraining.getState().runs.find((r) => r.id === entry.runId);
  if (run && 'record' in run) useTraining.setState({ open: true, shownRun: run });
  useCompare.setState({ open: false });
}
