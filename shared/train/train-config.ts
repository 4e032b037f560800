import { z } from 'zod';
import { augmentSchema, preprocessSchema } from '../data/preprocess.ts';
import { optimizerSchema } from './optimizers.ts';
import { scheduleSchema } from './schedules.ts';

export const trainConfigSchema = z.object({
  epochs: z.number().int().min(1).max(10_000).default(10),
  batchSize: z.number().int().min(1).max(8192).default(128),
  lr: z.number().gt(0).max(100).default(0.1),
  optimizer: optimizerSchema.default({ kind: 'sgd', momentum: 0, nesterov: false, weightDecay: 0 }),
  schedule: scheduleSchema.default({
    kind: 'constant',
    gamma: 0.1,
    stepEpochs: 10,
    warmupSteps: 0,
    minLr: 0,
  }),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  init: z.enum(['pytorch', 'xavier']).default('pytorch'),
  /** Held out of the training split for per-epoch evaluation; with 0, the test split is evaluated each epoch. */
  validationFraction: z.number().min(0).max(0.5).default(0),
  preprocess: preprocessSchema.default({ resize: null, normalize: null }),
  augment: augmentSchema.nullable().default(null),
  /** Stop when the evaluation accuracy has not improved for this many epochs. */
  earlyStoppingPatience: z.number().int().min(1).nullable().default(null),
  /** End with the weights of the epoch with the best evaluation accuracy (saved and tested), not the last. */
  restoreBest: z.boolean().default(false),
  /**
   * What stays fixed while the rest trains (transfer learning, starting from another run's weights):
   * `features`, every layer with weights but the last (only the head trains); or the ids of the graph's
   * nodes to keep, a block's keeping all its layers. Part of the recipe, so a resumed run freezes the same.
   */
  freeze: z
    .union([z.enum(['none', 'features']), z.array(z.string().min(1).max(256)).min(1).max(10_000)])
    .default('none'),
  /** Cap on training batches per epoch (quick looks and tests); null trains on the whole split. */
  maxBatchesPerEpoch: z.number().int().min(1).nullable().default(null),
});

export type TrainConfig = z.output<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
