import { z } from 'zod';
import { failure, success, type Result } from '../result.ts';
import { epochMetricsSchema } from './epoch-metrics.ts';
import { trainConfigSchema, type TrainConfig } from './train-config.ts';
import { variantIdSchema } from '../graph/file-format.ts';
import type { TrainResult } from './train-loop.ts';

/** The run.json format this Blockwise writes; older ones are migrated when read. */
export const RUN_FORMAT_VERSION = 1;

/**
 * What a training run leaves behind (run.json): enough to compare runs and to repeat one. Written by the
 * CLI, the app's worker and the exported train.py; read back by every one of them through parseRunRecord.
 * The recipe is read with its own schema, so a run kept before a recipe field existed gets its default.
 */
export const runRecordSchema = z.object({
  format: z.literal('blockwise/run'),
  formatVersion: z.literal(RUN_FORMAT_VERSION),
  /** The design it trained: its name, its hash, and the id of its variant in its document (runs since ids). */
  graph: z.object({ name: z.string(), hash: z.string(), variant: variantIdSchema.optional() }),
  dataset: z.object({
    name: z.string(),
    classes: z.array(z.string()),
    train: z.number().int().min(0),
    test: z.number().int().min(0),
  }),
  // An imported run trained for no epochs: its recipe says 0.
  config: trainConfigSchema.extend({ epochs: z.number().int().min(0).max(10_000) }),
  backend: z.string(),
  /** Threads the backend computed on (wasm); 1 for the others. */
  threads: z.number().int().min(1),
  epochs: z.array(epochMetricsSchema),
  evalSplit: z.enum(['validation', 'test']),
  test: z.object({
    loss: z.number(),
    accuracy: z.number().min(0).max(1),
    confusion: z.array(z.array(z.number())),
    samplesPerSec: z.number(),
  }),
  bestEpoch: z.number().int().min(1).nullable(),
  stoppedBy: z.enum(['completed', 'earlyStopping', 'user']),
  startedAt: z.string(),
  seconds: z.number().min(0),
  /** Set on a run that trained nothing here: another tool's weights, imported and tested (the model file). */
  importedFrom: z.string().optional(),
});

export type RunRecord = z.output<typeof runRecordSchema>;

/** A kept run: its folder's id and its record. */
export interface KeptRun {
  id: string;
  record: RunRecord;
}

/**
 * A run.json's content, checked: the record, or why it cannot be used, in words a user can act on (a newer
 * format, a field missing or wrong after a hand edit), never a record with undefined or NaN in it.
 */
export function parseRunRecord(value: unknown): Result<RunRecord, string> {
  const head = z.looseObject({ format: z.unknown(), formatVersion: z.unknown() }).safeParse(value);
  if (!head.success || head.data.format !== 'blockwise/run')
    return failure('it is not a Blockwise run record (run.json)');
  const version = head.data.formatVersion;
  if (typeof version === 'number' && version > RUN_FORMAT_VERSION)
    return failure(
      `it was written by a newer Blockwise (run format ${version}; this one reads ${RUN_FORMAT_VERSION}): update Blockwise to read it`,
    );
  const parsed = runRecordSchema.safeParse(value);
  if (parsed.success) return success(parsed.data);
  const issue = parsed.error.issues[0]!;
  return failure(
    `its ${issue.path.join('.') || 'content'} is not valid (${issue.message}): was it edited by hand?`,
  );
}

/** parseRunRecord of a run.json's text. */
export function parseRunRecordText(text: string): Result<RunRecord, string> {
  try {
    return parseRunRecord(JSON.parse(text));
  } catch {
    return failure('it is not JSON: was it cut short, or edited by hand?');
  }
}

export function runRecord(
  result: TrainResult,
  meta: {
    graph: RunRecord['graph'];
    dataset: RunRecord['dataset'];
    config: TrainConfig;
    backend: string;
    threads: number;
    startedAt: Date;
    importedFrom?: string;
  },
): RunRecord {
  const { loss, accuracy, confusion, samplesPerSec } = result.test;
  return {
    format: 'blockwise/run',
    formatVersion: 1,
    ...meta,
    startedAt: meta.startedAt.toISOString(),
    epochs: result.history,
    evalSplit: result.evalSplit,
    test: { loss, accuracy, confusion, samplesPerSec },
    bestEpoch: result.bestEpoch,
    stoppedBy: result.stoppedBy,
    seconds: result.seconds,
  };
}

/** A run folder's time stamp, sortable and file-name safe: 20261128-063912 (UTC). */
export const runStamp = (d: Date): string =>
  d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
