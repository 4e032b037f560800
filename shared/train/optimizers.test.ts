import { describe, expect, it } from 'vitest';
import { scalar, variable } from '@tensorflow/tfjs-core';
import '../test/graph-kit.ts';
import { Optimizer, optimizerSchema } from './optimizers.ts';
import { learningRate, scheduleSchema } from './schedules.ts';

/** Runs an optimizer on f(w) = w²/2 (gradient w) from w = 1; returns w after each step. */
function trajectory(config: object, lr: number, steps: number): number[] {
  const w = variable(scalar(1));
  const opt = new Optimizer(optimizerSchema.parse(config), [w]);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.apply([w.clone()], lr);
    out.push(w.dataSync()[0]!);
  }
  opt.dispose();
  return out;
}

/** The same updates written out by hand from PyTorch's documentation. */
function reference(
  kind: string,
  lr: number,
  steps: number,
  o: { momentum?: number; nesterov?: boolean; wd?: number } = {},
): number[] {
  let w = 1,
    buf = 0,
    m = 0,
    v = 0;
  const out: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const g = w + (kind !== 'adamw' ? (o.wd ?? 0) * w : 0);
    if (kind === 'sgd') {
      buf = t === 1 ? g : (o.momentum ?? 0) * buf + g;
      w -= lr * (o.nesterov ? g + (o.momentum ?? 0) * buf : buf);
    } else if (kind === 'adam' || kind === 'adamw') {
      if (kind === 'adamw') w *= 1 - lr * (o.wd ?? 0);
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      w -= (lr * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
    } else {
      v = 0.99 * v + 0.01 * g * g;
      w -= (lr * g) / (Math.sqrt(v) + 1e-8);
    }
    out.push(w);
  }
  return out;
}

describe('optimizers follow PyTorch update rules', () => {
  it.each([
    ['SGD', { kind: 'sgd' }, 'sgd', {}],
    ['SGD with momentum', { kind: 'sgd', momentum: 0.9 }, 'sgd', { momentum: 0.9 }],
    [
      'SGD with Nesterov momentum and weight decay',
      { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.1 },
      'sgd',
      { momentum: 0.9, nesterov: true, wd: 0.1 },
    ],
    ['Adam with L2 weight decay', { kind: 'adam', weightDecay: 0.1 }, 'adam', { wd: 0.1 }],
    ['AdamW (decoupled decay)', { kind: 'adamw', weightDecay: 0.1 }, 'adamw', { wd: 0.1 }],
    ['RMSprop', { kind: 'rmsprop' }, 'rmsprop', {}],
  ])('%s', (_name, config, kind, options) => {
    const ours = trajectory(config, 0.05, 5);
    reference(kind, 0.05, 5, options).forEach((w, i) => expect(ours[i]).toBeCloseTo(w, 5));
  });

  it('keeps and restores its state', () => {
    const w = variable(scalar(1));
    const opt = new Optimizer(optimizerSchema.parse({ kind: 'adam' }), [w]);
    opt.apply([scalar(0.5)], 0.1);
    const state = opt.state();
    expect(state.step).toBe(1);
    expect(state.slots[0]![0]![0]).toBeCloseTo(0.05, 6);
    const other = new Optimizer(optimizerSchema.parse({ kind: 'adam' }), [variable(scalar(1))]);
    other.restore(state);
    expect(other.state()).toEqual(state);
  });
});

describe('learning-rate schedules', () => {
  const at = (over: object, step: number, total = 100, perEpoch = 10) =>
    learningRate(1, scheduleSchema.parse(over), step, perEpoch, total);

  it('constant, step and exponential change per epoch', () => {
    expect([0, 50, 99].map((s) => at({}, s))).toEqual([1, 1, 1]);
    // Steps 0–19 are epochs 0–1, 20–39 epochs 2–3, 45 is in epoch 4.
    expect([0, 19, 20, 45].map((s) => at({ kind: 'step', stepEpochs: 2, gamma: 0.5 }, s))).toEqual([
      1, 1, 0.5, 0.25,
    ]);
    expect(at({ kind: 'exponential', gamma: 0.9 }, 25)).toBeCloseTo(0.81, 10);
  });

  it('cosine goes from the base rate to minLr; one-cycle rises to the peak at 30% then falls', () => {
    expect(at({ kind: 'cosine' }, 0)).toBe(1);
    expect(at({ kind: 'cosine' }, 50)).toBeCloseTo(0.5, 10);
    expect(at({ kind: 'cosine', minLr: 0.1 }, 100)).toBeCloseTo(0.1, 10);
    expect(at({ kind: 'oneCycle' }, 0)).toBeCloseTo(1 / 25, 10);
    expect(at({ kind: 'oneCycle' }, 30)).toBeCloseTo(1, 10);
    expect(at({ kind: 'oneCycle' }, 100)).toBeCloseTo(1 / 25 / 1e4, 12);
  });

  it('warms up linearly before any schedule', () => {
    expect([0, 1, 3, 4].map((s) => at({ kind: 'cosine', warmupSteps: 4 }, s))).toEqual([0.25, 0.5, 1, 1]);
  });
});
