import { dispose, oneHot, randomUniform, tensor1d, util, type Variable } from '@tensorflow/tfjs-core';
import type { CompiledGraph } from '../compile/compile-graph.ts';
import { lossGradients, networkInput } from './train-loop.ts';

/**
 * Milliseconds per training step (forward and gradients) of a compiled graph on the current backend, on
 * random data: the median of `steps` after one warm-up (which compiles shaders, fills caches).
 */
export async function stepMilliseconds(
  compiled: CompiledGraph,
  batchSize: number,
  steps = 3,
): Promise<number> {
  const { channels, height, width } = networkInput(compiled.model);
  const classes = (compiled.logitsModel.outputs[0]!.shape as number[])[1]!;
  const x = randomUniform([batchSize, height, width, channels]);
  const targets = oneHot(
    tensor1d(
      Array.from({ length: batchSize }, (_, i) => i % classes),
      'int32',
    ),
    classes,
  );
  const weights = compiled.model.trainableWeights.map((w) => w.read() as Variable);
  const times: number[] = [];
  try {
    for (let i = 0; i <= steps; i++) {
      const start = util.now();
      const { value, grads } = lossGradients(compiled, x, targets, weights);
      await value.data();
      dispose([value, ...Object.values(grads)]);
      if (i > 0) times.push(util.now() - start);
    }
  } finally {
    dispose([x, targets]);
  }
  return times.sort((a, b) => a - b)[times.length >> 1]!;
}
