import { epochMetricsSchema } from '../train/epoch-metrics.ts';
import { runRecordSchema } from '../train/run-record.ts';
import type { Labels } from '../data/dataset.ts';
import { z } from 'zod';
import { trainConfigSchema } from '../train/train-config.ts';

/**
 * The messages between the UI and its training worker, checked on arrival on both sides: a worker is
 * another thread's code, and a message that does not fit is refused, not trusted.
 */

export const TRAINING_BACKENDS = ['auto', 'webgl', 'wasm', 'cpu'] as const;
export type TrainingBackendChoice = (typeof TRAINING_BACKENDS)[number];

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes');
/** Class labels: bytes, or 16 or 32 bits each past 256 classes (see Labels). */
const labels = z.custom<Labels>(
  (v) => v instanceof Uint8Array || v instanceof Uint16Array || v instanceof Uint32Array,
  'expected labels',
);

export const trainRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('start'),
    /** The graph file as text: the worker trains this snapshot, whatever the canvas does meanwhile. */
    graphText: z.string(),
    config: trainConfigSchema,
    /** A dataset the host offers (Fashion-MNIST, or the user's own MNIST-style folder), by its id. */
    dataset: z.object({ id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$/) }),
    backend: z.enum(TRAINING_BACKENDS),
    threads: z.number().int().min(1).max(64),
    /** A kept run's checkpoint.bin: the run goes on from where it stopped (same graph, same recipe). */
    resume: bytes.optional(),
    /** A kept run's model to start from: its weights where the layers match (the recipe says what is frozen). */
    startFrom: z.object({ modelJson: z.string(), weights: bytes }).optional(),
    /**
     * An imported model's weights, tested and kept as a run of no epochs instead of a training: a tfjs
     * model.json and its weight files, joined (`weightSources` says which layer's weights each node takes),
     * or a PyTorch state_dict as the host converted it (`torchState`: its index and float32 values), put
     * into the graph by the exported model's names.
     */
    imported: z
      .union([
        z.object({
          modelJson: z.string(),
          weights: bytes,
          weightSources: z.record(z.string().max(256), z.string().max(256)),
          from: z.string().max(255),
        }),
        z.object({
          torchState: z.object({ index: z.string(), values: bytes }),
          from: z.string().max(255),
        }),
      ])
      .optional(),
  }),
  /** A kept run's files: the worker writes its PyTorch project (the model runs once, for verify.py). */
  z.object({
    kind: z.literal('exportPytorch'),
    graphText: z.string(),
    runJson: z.string(),
    modelJson: z.string(),
    weights: bytes,
  }),
  /** Inference samples/s of each design on one backend (the compare view's measured speed). */
  z.object({
    kind: z.literal('measureInference'),
    graphTexts: z.array(z.string()).min(1).max(64),
    batch: z.number().int().min(1).max(1024),
    backend: z.enum(TRAINING_BACKENDS),
    threads: z.number().int().min(1).max(64),
  }),
  z.object({ kind: z.literal('pause') }),
  z.object({ kind: z.literal('resume') }),
  z.object({ kind: z.literal('stop') }),
]);
export type TrainRequest = z.infer<typeof trainRequestSchema>;

const floats = z.instanceof(Float32Array);

export const trainEventSchema = z.discriminatedUnion('kind', [
  /** What the worker is doing before the first batch (reading the dataset, starting the backend). */
  z.object({ kind: z.literal('status'), text: z.string() }),
  z.object({
    kind: z.literal('started'),
    backend: z.string(),
    /** The GPU's renderer for webgl, else the CPU side ("wasm, 2 threads"). */
    device: z.string(),
    threads: z.number(),
    /** Why `auto` chose this backend ("software WebGL (SwiftShader): wasm is faster here"); null if named. */
    why: z.string().nullable(),
    dataset: z.object({
      name: z.string(),
      classes: z.array(z.string()),
      train: z.number(),
      test: z.number(),
    }),
    batchesPerEpoch: z.number(),
  }),
  /** Per-batch points since the last message (at most every ~100 ms), and where the run stands. */
  z.object({
    kind: z.literal('progress'),
    epoch: z.number(),
    batch: z.number(),
    batches: z.number(),
    samplesPerSec: z.number(),
    etaSeconds: z.number(),
    step: floats,
    loss: floats,
    accuracy: floats,
    lr: floats,
  }),
  /** Where an evaluation pass stands (after an epoch, or the test pass at the end): at most every ~100 ms. */
  z.object({
    kind: z.literal('evaluating'),
    split: z.enum(['validation', 'test']),
    /** The test pass after the last batch, not an epoch's evaluation. */
    final: z.boolean(),
    done: z.number(),
    total: z.number(),
    /** Null until there is a rate to tell it from. */
    etaSeconds: z.number().nullable(),
  }),
  z.object({
    kind: z.literal('epoch'),
    metrics: epochMetricsSchema,
    evalSplit: z.enum(['validation', 'test']),
  }),
  z.object({ kind: z.literal('paused'), paused: z.boolean() }),
  z.object({
    kind: z.literal('done'),
    /** run.json's content, and every file of the run folder. */
    record: runRecordSchema,
    /** The predicted class of every test image, in the test set's order (to show the mistakes). */
    predictions: labels,
    files: z.record(z.string(), z.union([z.string(), bytes])),
  }),
  z.object({ kind: z.literal('error'), message: z.string() }),
  /** Each design's inference samples/s, in the order asked, or why it could not run. */
  z.object({
    kind: z.literal('measured'),
    backend: z.string(),
    results: z.array(z.object({ samplesPerSec: z.number().nullable(), problem: z.string().nullable() })),
  }),
  /** The PyTorch project of a run: file name → text or bytes. */
  z.object({ kind: z.literal('exported'), files: z.record(z.string(), z.union([z.string(), bytes])) }),
]);
export type TrainEvent = z.infer<typeof trainEventSchema>;
