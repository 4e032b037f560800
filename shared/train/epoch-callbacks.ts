import type { CompiledGraph } from '../compile/compile-graph.ts';
import type { Checkpoint } from './checkpoint-file.ts';
import type { EpochMetrics } from './epoch-metrics.ts';
import { readWeights, writeWeights } from './weight-values.ts';

/** Watches each epoch's evaluation around the training loop; answers 'stop' to end the training there. */
export interface EpochCallback {
  onEpochEnd(metrics: EpochMetrics): 'stop' | undefined;
}

/** Keeps the weights of the epoch with the best evaluation accuracy (a resumed run goes on with its best). */
export class BestWeights implements EpochCallback {
  constructor(
    private readonly compiled: CompiledGraph,
    public best: Checkpoint['best'],
  ) {}

  onEpochEnd(m: EpochMetrics): undefined {
    if (!this.best || m.evalAccuracy > this.best.accuracy)
      this.best = { epoch: m.epoch, accuracy: m.evalAccuracy, weights: readWeights(this.compiled) };
    return undefined;
  }

  /** Puts the best epoch's weights back into the model (restoreBest), when an epoch was evaluated. */
  restore(): void {
    if (this.best) writeWeights(this.compiled, this.best.weights);
  }
}

/**
 * Stops when the evaluation accuracy has not improved on the best for `patience` epochs, unless the last
 * epoch is next anyway.
 */
export const earlyStopping = (patience: number, best: BestWeights, epochs: number): EpochCallback => ({
  onEpochEnd: (m) =>
    m.epoch - (best.best?.epoch ?? m.epoch) >= patience && m.epoch < epochs ? 'stop' : undefined,
});
