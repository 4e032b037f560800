import type { RunRecord } from '../../../shared/train/run-record.ts';

/** The statuses of a run under way (the recipe is locked; Continue and Start from wait). */
export const ACTIVE = new Set(['preparing', 'training', 'paused', 'saving']);

/** How a run ended, or where its weights came from when it trained nothing here. */
export const runOutcome = (r: RunRecord) =>
  r.importedFrom ? `imported from ${r.importedFrom}` : String(r.stoppedBy);

export const formatAccuracy = (a: number) => `${(100 * a).toFixed(1)}%`;
