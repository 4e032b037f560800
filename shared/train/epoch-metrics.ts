import { z } from 'zod';

/** One epoch of a run, as the loop reports it and run.json keeps it. */
export const epochMetricsSchema = z.object({
  epoch: z.number().int().min(1),
  trainLoss: z.number(),
  trainAccuracy: z.number(),
  evalLoss: z.number(),
  evalAccuracy: z.number(),
  lr: z.number(),
  seconds: z.number(),
  trainSamplesPerSec: z.number(),
});

export type EpochMetrics = z.infer<typeof epochMetricsSchema>;
