import { z } from 'zod';

export const scheduleSchema = z.object({
  kind: z.enum(['constant', 'step', 'exponential', 'cosine', 'oneCycle']).default('constant'),
  /** step: multiply by gamma every stepEpochs; exponential: by gamma every epoch. */
  gamma: z.number().gt(0).max(1).default(0.1),
  stepEpochs: z.number().int().min(1).default(10),
  /** Linear warm-up from 0 over this many batches, before any schedule. */
  warmupSteps: z.number().int().min(0).default(0),
  /** cosine ends here; one-cycle starts at lr / 25 and ends at lr / 1e4, as PyTorch's OneCycleLR. */
  minLr: z.number().min(0).default(0),
});

export type ScheduleConfig = z.output<typeof scheduleSchema>;

/** The learning rate for a step (0-based batch count over the whole run): a pure function, so it resumes exactly. */
export function learningRate(
  base: number,
  s: ScheduleConfig,
  step: number,
  stepsPerEpoch: number,
  totalSteps: number,
): number {
  if (step < s.warmupSteps) return (base * (step + 1)) / s.warmupSteps;
  const epoch = Math.floor(step / stepsPerEpoch);
  const progress = Math.min(1, (step - s.warmupSteps) / Math.max(1, totalSteps - s.warmupSteps));
  switch (s.kind) {
    case 'constant':
      return base;
    case 'step':
      return base * s.gamma ** Math.floor(epoch / s.stepEpochs);
    case 'exponential':
      return base * s.gamma ** epoch;
    case 'cosine':
      return s.minLr + ((base - s.minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
    case 'oneCycle':
      return oneCycle(base, progress);
  }
}

/** PyTorch OneCycleLR defaults: 30% rising from max/25 to max, then cosine down to max/(25·1e4). */
function oneCycle(max: number, progress: number): number {
  const start = max / 25;
  const end = start / 1e4;
  const cos = (from: number, to: number, p: number) => to + ((from - to) * (1 + Math.cos(Math.PI * p))) / 2;
  return progress < 0.3 ? cos(start, max, progress / 0.3) : cos(max, end, (progress - 0.3) / 0.7);
}
