import type { GraphInference, Totals } from '../shapes/infer-shapes.ts';
import type { SummaryColumns } from '../shapes/summary-table.ts';
import { formatBytes } from '../shapes/quantity-format.ts';
import { slotCount } from './optimizers.ts';

/**
 * What training may hold at once when the backend says nothing better: 4 GiB, all a wasm32 backend can
 * address, and what a browser tab's WebGL can be asked for without the GPU process being killed.
 */
export const DEFAULT_TRAINING_MEMORY = 2 ** 32;

type OptimizerChoice = Parameters<typeof slotCount>[0];

/** What training holds for one layer (or a whole network), float32 bytes. */
export interface TrainingCost {
  /** Its weights and statistics. */
  weights: number;
  /** A gradient per trainable weight. */
  gradients: number;
  /** The optimizer's per-weight state: momentum one copy, Adam two. */
  optimizerState: number;
  /** Its outputs for the batch, kept for the backward pass (their gradients take as much again, at the peak). */
  activations: number;
}

/** One layer's (or a network's) training cost from its counts and its activation bytes per sample. */
export function trainingCost(
  counts: Pick<Totals, 'params' | 'memoryBytes'>,
  batch: number,
  optimizer: OptimizerChoice,
): TrainingCost {
  const { trainable, nonTrainable } = counts.params;
  return {
    weights: 4 * (trainable + nonTrainable),
    gradients: 4 * trainable,
    optimizerState: 4 * trainable * slotCount(optimizer),
    activations: counts.memoryBytes * batch,
  };
}

/** The most a step holds at once: everything, with the activations' gradients as large as the activations. */
export const peakBytes = (c: TrainingCost): number =>
  c.weights + c.gradients + c.optimizerState + 2 * c.activations;

/** The bytes one training step holds (float32): the weights with their gradients and optimizer state, and the batch's activations. */
export function trainingBytes(
  totals: Totals,
  batch: number,
  optimizer: OptimizerChoice,
): { weights: number; activations: number } {
  const cost = trainingCost(totals, batch, optimizer);
  const weights = cost.weights + cost.gradients + cost.optimizerState;
  return { weights, activations: peakBytes(cost) - weights };
}

/**
 * About how many bytes a kept run's folder takes: the weights (weights.bin), the checkpoint (the weights
 * again, the optimizer's state and the best epoch's weights), and a megabyte for the rest.
 */
export function keptRunBytes(totals: Totals, optimizer: OptimizerChoice): number {
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
  optimizer: OptimizerChoice,
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

/** Each node's training cost (and each layer's, blocks expanded), the network's, and its peak. */
export interface TrainingLedger {
  nodes: Map<string, TrainingCost>;
  layers: Map<string, TrainingCost>;
  total: TrainingCost;
  peak: number;
}

/** The ledger of what training holds at this batch with this optimizer, node by node. */
export function trainingLedger(
  inference: GraphInference,
  batch: number,
  optimizer: OptimizerChoice,
): TrainingLedger {
  type Counted = { status: 'ok' } & Pick<Totals, 'params' | 'memoryBytes'>;
  const costs = (results: Iterable<[string, Counted | { status: 'error' | 'blocked' }]>) => {
    const out = new Map<string, TrainingCost>();
    for (const [id, r] of results) if (r.status === 'ok') out.set(id, trainingCost(r, batch, optimizer));
    return out;
  };
  const total = trainingCost(inference.totals, batch, optimizer);
  return {
    nodes: costs(inference.nodes),
    layers: costs(inference.flat.results),
    total,
    peak: peakBytes(total),
  };
}

/** The summary's training-memory columns: per node, or per layer when the summary lists layers. */
export function trainingColumns(ledger: TrainingLedger, expanded: boolean): SummaryColumns {
  const byId = expanded ? ledger.layers : ledger.nodes;
  return {
    header: ['Weights', 'Gradients', 'Optimizer', 'Activations'],
    numeric: true,
    cells: (row) => {
      const c = byId.get(row.id);
      return c
        ? [c.weights, c.gradients, c.optimizerState, c.activations].map(formatBytes)
        : ['', '', '', ''];
    },
  };
}

/** A network's training cost in words, as the summary and the status bar say it. */
export function ledgerWords(total: TrainingCost, batch: number): string {
  const { weights, gradients, optimizerState, activations } = total;
  return `Training memory at batch ${batch}: about ${formatBytes(peakBytes(total))} at the peak (weights ${formatBytes(weights)}, gradients ${formatBytes(gradients)}, optimizer state ${formatBytes(optimizerState)}, activations kept for the backward pass ${formatBytes(activations)} and their gradients as much again)`;
}
