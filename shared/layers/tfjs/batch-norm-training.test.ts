import { describe, expect, it } from 'vitest';
import {
  batchNorm,
  grads,
  memory,
  moments,
  mul,
  randomNormal,
  sum,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import '../../test/graph-kit.ts';
import { normalizeBatch, withClosedFormTraining } from './batch-norm-training.ts';

const values = (t: Tensor) => Array.from(t.dataSync());

describe('batch normalization with the closed-form gradient', () => {
  it.each([[[4, 5, 5, 3]], [[6, 7]]])(
    'equals tfjs’s moments + batchNorm, values and gradients for x, γ and β (%j)',
    (shape) => {
      const channels = shape.at(-1)!;
      const x = randomNormal(shape, 0.5, 2, 'float32', 4);
      const gamma = randomNormal([channels], 1, 0.1, 'float32', 5);
      const beta = randomNormal([channels], 0, 0.1, 'float32', 6);
      const weights = randomNormal(shape, 0, 1, 'float32', 7);
      const axes = shape.slice(0, -1).map((_, i) => i);
      const tfjsWay = (xx: Tensor, g: Tensor, b: Tensor) => {
        const { mean, variance } = moments(xx, axes);
        return sum(mul(batchNorm(xx, mean, variance, b, g, 1e-5), weights));
      };
      const ours = (xx: Tensor, g: Tensor, b: Tensor) => sum(mul(normalizeBatch(xx, g, b, 1e-5).y, weights));
      expect(ours(x, gamma, beta).dataSync()[0]).toBeCloseTo(tfjsWay(x, gamma, beta).dataSync()[0]!, 3);
      const expected = grads(tfjsWay)([x, gamma, beta]).map(values);
      const actual = grads(ours)([x, gamma, beta]).map(values);
      actual.forEach((a, i) => a.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 4)));
    },
  );

  it('trains the layer as tfjs would (output, moving mean), its moving variance unbiased as PyTorch’s, no tensors left behind', () => {
    const make = () => layers.batchNormalization({ axis: -1, epsilon: 1e-5, momentum: 0.9 });
    const plain = make();
    const fast = withClosedFormTraining(make());
    const x = randomNormal([8, 4, 4, 3], 2, 3, 'float32', 8);
    plain.build(x.shape);
    fast.build(x.shape);
    const before = memory().numTensors;
    const trainingOutput = (l: typeof plain) => {
      const y = l.apply(x, { training: true }) as Tensor;
      const v = values(y);
      y.dispose();
      return v;
    };
    const yPlain = trainingOutput(plain);
    const yFast = trainingOutput(fast);
    expect(memory().numTensors).toBe(before);
    yFast.forEach((v, i) => expect(v).toBeCloseTo(yPlain[i]!, 4));
    const stats = (l: typeof plain) => l.getWeights().slice(2).map(values);
    const [meanFast, varianceFast] = stats(fast);
    const [meanPlain, variancePlain] = stats(plain);
    meanFast!.forEach((v, j) => expect(v).toBeCloseTo(meanPlain![j]!, 5));
    // tfjs moves toward the biased variance (÷n); the moving variance here moves toward the unbiased one.
    const n = 8 * 4 * 4;
    varianceFast!.forEach((v, j) => {
      const biasedBatch = (variancePlain![j]! - 0.9) / 0.1;
      expect(v).toBeCloseTo(0.9 + 0.1 * biasedBatch * (n / (n - 1)), 4);
    });
    // Inference is tfjs's own, with the moving statistics above.
    const inference = values(fast.apply(x, { training: false }) as Tensor);
    const [gamma, beta, movingMean, movingVariance] = fast.getWeights();
    values(batchNorm(x, movingMean!, movingVariance!, beta, gamma, 1e-5)).forEach((v, i) =>
      expect(inference[i]).toBeCloseTo(v, 5),
    );
  });
});
