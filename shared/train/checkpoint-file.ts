import { strFromU8, strToU8 } from 'fflate';
import { failure, success, type Result } from '../result.ts';
import type { EpochMetrics } from './epoch-metrics.ts';
import type { OptimizerState } from './optimizers.ts';

/** How far a stopped epoch got: enough to go on with its next batch as if it had never stopped. */
export interface EpochProgress {
  batchesDone: number;
  lossSum: number;
  correct: number;
  seen: number;
  seconds: number;
  /** Positions of the epoch's generators (augmentation, and Math.random for dropout). */
  random: number;
  mathRandom: number;
}

/** Everything needed to continue a run exactly where it stopped, in the middle of an epoch too. */
export interface Checkpoint {
  epochsDone: number;
  step: number;
  weights: Float32Array[];
  optimizer: OptimizerState;
  history: EpochMetrics[];
  best: { epoch: number; accuracy: number; weights: Float32Array[] } | null;
  /** Set when the run stopped inside epoch `epochsDone + 1`. */
  epochProgress?: EpochProgress;
}

/**
 * A checkpoint as one byte array: a little-endian uint32 header length, a JSON header (counters, history,
 * array lengths), then every Float32Array back to back (weights, optimizer slots, best weights).
 */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const arrays = [...c.weights, ...c.optimizer.slots.flat(), ...(c.best?.weights ?? [])];
  const header = JSON.stringify({
    version: 1,
    epochsDone: c.epochsDone,
    step: c.step,
    history: c.history,
    optimizerStep: c.optimizer.step,
    weights: c.weights.map((w) => w.length),
    slots: c.optimizer.slots.map((ss) => ss.map((s) => s.length)),
    best: c.best && {
      epoch: c.best.epoch,
      accuracy: c.best.accuracy,
      weights: c.best.weights.map((w) => w.length),
    },
    ...(c.epochProgress ? { epochProgress: c.epochProgress } : {}),
  });
  const headerBytes = strToU8(header);
  // Float32 data must start on a 4-byte boundary.
  const start = Math.ceil((4 + headerBytes.length) / 4) * 4;
  const out = new Uint8Array(start + arrays.reduce((s, a) => s + 4 * a.length, 0));
  new DataView(out.buffer).setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 4);
  let at = start;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return out;
}

interface Header {
  version: number;
  epochsDone: number;
  step: number;
  history: Checkpoint['history'];
  optimizerStep: number;
  weights: number[];
  slots: number[][];
  best: { epoch: number; accuracy: number; weights: number[] } | null;
  epochProgress?: EpochProgress;
}

export function decodeCheckpoint(bytes: Uint8Array, file: string): Result<Checkpoint, string> {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length = view.getUint32(0, true);
    const h = JSON.parse(strFromU8(bytes.subarray(4, 4 + length))) as Header;
    if (h.version !== 1) return failure(`${file}: checkpoint version ${h.version} is not supported.`);
    let at = Math.ceil((4 + length) / 4) * 4;
    const take = (n: number) => {
      if (at + 4 * n > bytes.length) throw new Error('truncated');
      const a = new Float32Array(bytes.slice(at, at + 4 * n).buffer);
      at += 4 * n;
      return a;
    };
    const weights = h.weights.map(take);
    const slots = h.slots.map((ss) => ss.map(take));
    const best = h.best && {
      epoch: h.best.epoch,
      accuracy: h.best.accuracy,
      weights: h.best.weights.map(take),
    };
    return success({
      epochsDone: h.epochsDone,
      step: h.step,
      history: h.history,
      weights,
      optimizer: { step: h.optimizerStep, slots },
      best,
      ...(h.epochProgress ? { epochProgress: h.epochProgress } : {}),
    });
  } catch (e) {
    return failure(`${file}: not a readable Blockwise checkpoint (${(e as Error).message}).`);
  }
}
