/**
 * The training-memory estimate (shared/train/training-memory.ts: what the status bar, the Inspector and
 * `summary --train-memory` say) beside what tfjs holds at the peak of a real first step (forward, loss,
 * every gradient, the optimizer's update with its state made), measured with tf.profile on wasm. Bytes are
 * counted, not timed, so one round per case is exact; the ratio says how far to trust the estimate.
 *
 *   npm run bench:memory -- [--networks lenet,vgg-mini,resnet-mini] [--batches 16,64] [--optimizer adam]
 */
import { parseArgs } from 'node:util';
import { dispose, oneHot, profile, randomUniform, tensor1d, type Variable } from '@tensorflow/tfjs-core';
import { startNodeBackend } from '../main/train/node-backends.ts';
import { compileGraph } from '../shared/compile/compile-graph.ts';
import { formatBytes } from '../shared/shapes/quantity-format.ts';
import { inferShapes } from '../shared/shapes/infer-shapes.ts';
import { findTemplate } from '../shared/templates/catalogue.ts';
import { Optimizer, optimizerSchema } from '../shared/train/optimizers.ts';
import { lossGradients } from '../shared/train/train-loop.ts';
import { trainingLedger } from '../shared/train/training-memory.ts';
import { report } from './bench-report.ts';

const { values } = parseArgs({
  options: {
    networks: { type: 'string', default: 'lenet,vgg-mini,resnet-mini' },
    batches: { type: 'string', default: '16,64' },
    optimizer: { type: 'string', default: 'adam' },
  },
});
await startNodeBackend('wasm', 1);
const optimizer = optimizerSchema.parse({ kind: values.optimizer });

/** The most bytes tfjs holds during one first training step of a template at a batch, weights included. */
async function measuredPeak(id: string, batch: number): Promise<number> {
  const template = findTemplate(id)!;
  const net = compileGraph(template.build());
  if (!net.ok) throw new Error(`${id}: ${net.error.message}`);
  const [channels, height, width] = template.input;
  const x = randomUniform([batch, height, width, channels]);
  const labels = tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  );
  const y = oneHot(labels, 10);
  const weights = net.value.model.trainableWeights.map((w) => w.read() as Variable);
  let update: Optimizer | null = null;
  const info = await profile(async () => {
    // Made inside: the optimizer's state is part of what a first step holds.
    update = new Optimizer(optimizer, weights);
    const { value, grads } = lossGradients(net.value, x, y, weights);
    update.apply(
      weights.map((w) => grads[w.name]!),
      0.001,
    );
    await value.data();
    dispose([value, ...Object.values(grads)]);
  });
  // What existed before the step (the batch) is counted in the peak too: take it away.
  const batchBytes = (x.size + y.size) * 4 + labels.size * 4;
  dispose([x, y, labels]);
  net.value.model.dispose();
  return info.peakBytes - batchBytes;
}

const rows: Record<string, string | number>[] = [];
for (const id of values.networks.split(',')) {
  const inference = inferShapes(findTemplate(id)!.build());
  for (const batch of values.batches.split(',').map(Number)) {
    const estimate = trainingLedger(inference, batch, optimizer).peak;
    const measured = await measuredPeak(id, batch);
    rows.push({
      network: id,
      batch,
      optimizer: optimizer.kind,
      'estimated peak': formatBytes(estimate),
      'measured peak (tf.profile)': formatBytes(measured),
      'estimate / measured': Number((estimate / measured).toFixed(2)),
    });
  }
}
report('train-memory', rows);
