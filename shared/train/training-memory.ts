import type { Totals } from '../shapes/infer-shapes.ts';
import { formatBytes } from '../shapes/quantity-format.ts';
import { slotCount } from './optimizers.ts';

/**
 * What training may hold at once when the backend says nothing better: 4 GiB, all a wasm32 backend can
 * address, and what a browser tab's WebGL can be asked for without the GPU process being killed.
 */
export const DEFAULT_TRAINING_MEMORY = 2 ** 32;

/** The bytes one training step holds (float32): the weights with their gradients and optimizer state, and the batch's activations. */
export function trainingBytes(
  totals: Totals,
  batch: number,
  optimizer: Parameters<typeof slotCount>[0],
): { weights: number; activations: number } {
  const { trainable, nonTrainable } = totals.params;
  return {
    weights: 4 * (trainable * (2 + slotCount(optimizer)) + nonTrainable),
    // Every layer's output is kept for the backward pass, and its gradient is as large.
    activations: 2 * totals.memoryBytes * batch,
  };
}

/**
 * About how many bytes a kept run's folder takes: the weights (weights.bin), the checkpoint (the weights
 * again, the optimizer's state and the best epoch's weights), and a megabyte for the rest.
 */
export function keptRunBytes(totals: Totals, optimizer: Parameters<typeof slotCount>[0]): number {
  const { trainable, nonTrainable } = totals.params;
  return 4 * (trainable + nonTrainable) * 3 + 4 * trainable * slotCount(optimizer) + 2 ** 20;
}

/**
 * Why a network cannot train at this batch within `limit` bytes, with the batch that would fit, or null when
 * it fits: said before anything is allocated (past it the process is killed, or the GPU context lost).
 */
export function trainingMemoryProblem(
  totals: Totals,
  batch: number,
  optimizer: Parameters<typeof slotCount>[0],
  limit = DEFAULT_TRAINING_MEMORY,
): string | null {
  const { weights, activations } = trainingBytes(totals, batch, optimizer);
  if (weights + activations <= limit) return null;
  const perSample = activations / batch;
  const fits = perSample > 0 ? Math.floor((limit - weights) / perSample) : 0;
  const advice =
    fits >= 1
      ? `Lower the batch to ${2 ** Math.floor(Math.log2(fits))} or less, or shrink the network.`
      : 'Even one image does not fit: use fewer filters or units, or a smaller input.';
  return `Training this network at batch ${batch} needs about ${formatBytes(weights + activations)} (${formatBytes(weights)} for the weights, their gradients and the optimizer's state; ${formatBytes(activations)} for the batch's activations and their gradients), more than training may use here (${formatBytes(limit)}). ${advice}`;
}
