import { describe, expect, it } from 'vitest';
import {
  batchNorm,
  getGradient,
  grads,
  moments,
  mul,
  randomNormal,
  sum,
  type Tensor,
  type Tensor4D,
} from '@tensorflow/tfjs-core';
import '../test/graph-kit.ts';
import { registerTrainingKernels } from './training-kernels.ts';

// Its own file: vitest runs each file in a fresh process, so tfjs's original gradient is still in place here.
describe('the broadcasting batch-norm gradient', () => {
  it('equals tfjs’s tiling one for x, γ and β', () => {
    const x = randomNormal([4, 5, 5, 3], 0, 1, 'float32', 4) as Tensor4D;
    const gamma = randomNormal([3], 1, 0.1, 'float32', 5);
    const beta = randomNormal([3], 0, 0.1, 'float32', 6);
    const weights = randomNormal([4, 5, 5, 3], 0, 1, 'float32', 7);
    const loss = (xx: Tensor, g: Tensor, b: Tensor) => {
      const { mean, variance } = moments(xx, [0, 1, 2]);
      return sum(mul(batchNorm(xx, mean, variance, b, g, 1e-5), weights));
    };
    const values = (t: Tensor) => Array.from(t.dataSync());
    const original = getGradient('FusedBatchNorm')!.gradFunc;
    const before = grads(loss)([x, gamma, beta]).map(values);
    registerTrainingKernels();
    expect(getGradient('FusedBatchNorm')!.gradFunc).not.toBe(original);
    const after = grads(loss)([x, gamma, beta]).map(values);
    after.forEach((a, i) => a.forEach((v, j) => expect(v).toBeCloseTo(before[i]![j]!, 4)));
  });
});
