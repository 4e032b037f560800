import {
  dispose,
  oneHot,
  randomUniform,
  tensor1d,
  util,
  type Tensor,
  type Variable,
} from '@tensorflow/tfjs-core';
import type { CompiledGraph } from '../compile/compile-graph.ts';
import { inferencePlan } from './inference-plan.ts';
import { lossGradients, networkInput } from './train-loop.ts';

/** The median milliseconds of `runs` calls after one warm-up (which compiles shaders, fills caches). */
async function medianMilliseconds(run: () => Promise<void>, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = util.now();
    await run();
    if (i > 0) times.push(util.now() - start);
  }
  return times.sort((a, b) => a - b)[times.length >> 1]!;
}

/** A random batch of the network's input (NHWC). */
function randomBatch(compiled: CompiledGraph, batchSize: number): Tensor {
  const { channels, height, width } = networkInput(compiled.model);
  return randomUniform([batchSize, height, width, channels]);
}

/**
 * Milliseconds per training step (forward and gradients) of a compiled graph on the current backend, on
 * random data: the median of `steps` after one warm-up.
 */
export async function stepMilliseconds(
  compiled: CompiledGraph,
  batchSize: number,
  steps = 3,
): Promise<number> {
  const classes = (compiled.logitsModel.outputs[0]!.shape as number[])[1]!;
  const x = randomBatch(compiled, batchSize);
  const targets = oneHot(
    tensor1d(
      Array.from({ length: batchSize }, (_, i) => i % classes),
      'int32',
    ),
    classes,
  );
  const weights = compiled.model.trainableWeights.map((w) => w.read() as Variable);
  try {
    return await medianMilliseconds(async () => {
      const { value, grads } = lossGradients(compiled, x, targets, weights);
      await value.data();
      dispose([value, ...Object.values(grads)]);
    }, steps);
  } finally {
    dispose([x, targets]);
  }
}

/**
 * Inference samples a second of a compiled graph on the current backend (as evaluation runs it: its
 * inference plan, on random data of its input's shape): from the median of `passes` batches after one warm-up.
 */
export async function inferenceSamplesPerSecond(
  compiled: CompiledGraph,
  batchSize: number,
  passes = 5,
): Promise<number> {
  const x = randomBatch(compiled, batchSize);
  const plan = inferencePlan(compiled.model);
  try {
    const ms = await medianMilliseconds(async () => {
      const y = plan.predict(x);
      await y.data();
      y.dispose();
    }, passes);
    return (1000 * batchSize) / Math.max(ms, 1e-3);
  } finally {
    plan.dispose();
    x.dispose();
  }
}
