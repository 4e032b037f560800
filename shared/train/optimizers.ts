import { z } from 'zod';
import {
  add,
  div,
  mul,
  sqrt,
  square,
  sub,
  tensor,
  tidy,
  variable,
  zerosLike,
  type Tensor,
  type Variable,
} from '@tensorflow/tfjs-core';

export const optimizerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sgd'),
    momentum: z.number().min(0).lt(1).default(0),
    nesterov: z.boolean().default(false),
    weightDecay: z.number().min(0).default(0),
  }),
  z.object({
    kind: z.enum(['adam', 'adamw']),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    eps: z.number().gt(0).default(1e-8),
    weightDecay: z.number().min(0).default(0),
  }),
  z.object({
    kind: z.literal('rmsprop'),
    alpha: z.number().min(0).lt(1).default(0.99),
    eps: z.number().gt(0).default(1e-8),
    momentum: z.number().min(0).lt(1).default(0),
    weightDecay: z.number().min(0).default(0),
  }),
]);

export type OptimizerConfig = z.output<typeof optimizerSchema>;

/** How many tensors of its own size an optimizer keeps per weight: momentum, Adam's two moments, RMSprop's. */
export function slotCount(config: { kind: OptimizerConfig['kind']; momentum?: number }): number {
  if (config.kind === 'sgd') return config.momentum ? 1 : 0;
  if (config.kind === 'rmsprop') return config.momentum ? 2 : 1;
  return 2;
}

/** Per-weight state (momentum buffers and the like) as plain arrays, for checkpoints. */
export interface OptimizerState {
  step: number;
  slots: Float32Array[][];
}

/**
 * The optimizers with PyTorch's update rules (weight decay as L2 on the gradient, decoupled for AdamW;
 * RMSprop's eps outside the square root), so runs compare like for like with the PyTorch peer.
 */
export class Optimizer {
  private stepCount = 0;
  private readonly slots: Variable[][];

  constructor(
    readonly config: OptimizerConfig,
    private readonly weights: Variable[],
  ) {
    const count = slotCount(config);
    this.slots = weights.map((w) => Array.from({ length: count }, () => variable(zerosLike(w), false)));
  }

  /** Applies one update; grads are in the order of the weights. */
  apply(grads: Tensor[], lr: number): void {
    this.stepCount += 1;
    const t = this.stepCount;
    tidy(() => {
      this.weights.forEach((w, i) => {
        const [next, ...slots] = this.update(w, grads[i]!, this.slots[i]!, lr, t);
        slots.forEach((s, j) => this.slots[i]![j]!.assign(s));
        w.assign(next!);
      });
    });
  }

  private update(w: Variable, gradient: Tensor, s: Variable[], lr: number, t: number): Tensor[] {
    const c = this.config;
    const decayed = c.weightDecay && c.kind !== 'adamw' ? add(gradient, mul(w, c.weightDecay)) : gradient;
    switch (c.kind) {
      case 'sgd': {
        if (!c.momentum) return [sub(w, mul(decayed, lr))];
        const buf = add(mul(s[0]!, c.momentum), decayed);
        const step = c.nesterov ? add(decayed, mul(buf, c.momentum)) : buf;
        return [sub(w, mul(step, lr)), buf];
      }
      case 'adam':
      case 'adamw': {
        const m = add(mul(s[0]!, c.beta1), mul(decayed, 1 - c.beta1));
        const v = add(mul(s[1]!, c.beta2), mul(square(decayed), 1 - c.beta2));
        const mHat = div(m, 1 - c.beta1 ** t);
        const vHat = div(v, 1 - c.beta2 ** t);
        const base = c.kind === 'adamw' && c.weightDecay ? mul(w, 1 - lr * c.weightDecay) : w;
        return [sub(base, mul(div(mHat, add(sqrt(vHat), c.eps)), lr)), m, v];
      }
      case 'rmsprop': {
        const sq = add(mul(s[0]!, c.alpha), mul(square(decayed), 1 - c.alpha));
        const step = div(decayed, add(sqrt(sq), c.eps));
        if (!c.momentum) return [sub(w, mul(step, lr)), sq];
        const buf = add(mul(s[1]!, c.momentum), step);
        return [sub(w, mul(buf, lr)), sq, buf];
      }
    }
  }

  state(): OptimizerState {
    return {
      step: this.stepCount,
      slots: this.slots.map((ss) => ss.map((s) => s.dataSync() as Float32Array)),
    };
  }

  restore(state: OptimizerState): void {
    this.stepCount = state.step;
    tidy(() =>
      state.slots.forEach((ss, i) =>
        ss.forEach((values, j) => {
          const slot = this.slots[i]![j]!;
          slot.assign(tensor(values, slot.shape));
        }),
      ),
    );
  }

  dispose(): void {
    for (const ss of this.slots) for (const s of ss) s.dispose();
  }
}
