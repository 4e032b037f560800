import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomNormal, type Tensor } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import '../../shared/test/graph-kit.ts';
import { withClosedFormTraining } from '../../shared/layers/tfjs/batch-norm-training.ts';
import { pythonScript, runPython } from './python-runner.ts';

/** The moving statistics of a BatchNorm trained in Blockwise on these batches, and PyTorch's on the same. */
async function movingStatistics(shape: [number, number, number, number], steps: number) {
  const batches = Array.from({ length: steps }, (_, i) => randomNormal(shape, 1.5, 2, 'float32', 30 + i));
  const layer = withClosedFormTraining(layers.batchNormalization({ axis: -1, epsilon: 1e-5, momentum: 0.9 }));
  layer.build(shape);
  for (const x of batches) (layer.apply(x, { training: true }) as Tensor).dispose();
  const [, , mean, variance] = layer.getWeights().map((t) => Array.from(t.dataSync()));
  const file = join(mkdtempSync(join(tmpdir(), 'bw-bn-')), 'batches.json');
  const values = batches.map((b) => Array.from(b.dataSync()));
  // tfjs's momentum 0.9 keeps 90% of the old value; PyTorch's 0.1 takes 10% of the new: the same average.
  writeFileSync(file, JSON.stringify({ shape, batches: values, momentum: 0.1 }));
  const { stdout } = await runPython([pythonScript('batch_norm_running_stats.py'), file]);
  const torch = JSON.parse(stdout) as { running_mean: number[]; running_var: number[] };
  return { mean: mean!, variance: variance!, torch };
}

describe('BatchNorm statistics follow PyTorch', () => {
  it.each([
    ['a conv BatchNorm at batch 4', [4, 3, 3, 5] as [number, number, number, number]],
    [
      'a BatchNorm of 2 values per channel, where ÷n and ÷(n−1) differ by half',
      [2, 1, 1, 3] as [number, number, number, number],
    ],
  ])('%s: running mean and (unbiased) running variance equal PyTorch’s after 5 steps', async (_n, shape) => {
    const { mean, variance, torch } = await movingStatistics(shape, 5);
    mean.forEach((v, i) => expect(v).toBeCloseTo(torch.running_mean[i]!, 4));
    variance.forEach((v, i) => expect(v).toBeCloseTo(torch.running_var[i]!, 4));
  });
});
