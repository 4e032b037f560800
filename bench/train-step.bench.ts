/**
 * One training step (forward, loss, gradients of every weight) per network on wasm, with the network input's
 * gradient computed as tfjs's fused conv2d does and skipped as training does (shared/train/input-gradient.ts),
 * and PyTorch's step of the same network and batch (forward, loss, backward) where /usr/bin/python3 has torch:
 * the three take turns, round after round, so the shared machine's drift falls on all alike; medians compared.
 *
 *   npm run bench:step -- [--networks lenet,vgg-mini,resnet-mini] [--rounds 8] [--threads N] [--no-torch]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { dispose, oneHot, randomUniform, tensor1d, type Tensor, type Variable } from '@tensorflow/tfjs-core';
import { startNodeBackend } from '../main/train/node-backends.ts';
import { compileGraph, type CompiledGraph } from '../shared/compile/compile-graph.ts';
import { findTemplate } from '../shared/templates/catalogue.ts';
import { skipInputGradients } from '../shared/train/input-gradient.ts';
import { lossGradients } from '../shared/train/train-loop.ts';
import { interleaved, median, report } from './bench-report.ts';
import { PeerProcess } from './peer-process.ts';

const { values } = parseArgs({
  options: {
    networks: { type: 'string', default: 'lenet,vgg-mini,resnet-mini' },
    rounds: { type: 'string', default: '8' },
    threads: { type: 'string', default: String(availableParallelism()) },
    'no-torch': { type: 'boolean', default: false },
  },
});
await startNodeBackend('wasm', Number(values.threads));

/** The batch each network's recipe trains with (LeNet's d2l recipe: 256), capped at 128 for the others. */
const batchOf = (id: string) => findTemplate(id)!.recipe?.batchSize ?? 128;

function compiled(id: string): CompiledGraph {
  const c = compileGraph(findTemplate(id)!.build());
  if (!c.ok) throw new Error(`${id}: ${c.error.message}`);
  return c.value;
}

/** A timed training step of one network: forward, loss and every weight's gradient, read back. */
function stepOf(net: CompiledGraph, x: Tensor, y: Tensor): () => Promise<number> {
  const weights = net.model.trainableWeights.map((w) => w.read() as Variable);
  return async () => {
    const t0 = performance.now();
    const { value, grads } = lossGradients(net, x, y, weights);
    await value.data();
    for (const g of Object.values(grads)) await g.data();
    dispose([value, ...Object.values(grads)]);
    return performance.now() - t0;
  };
}

type StepJob = { kind: 'step'; network: string; batch: number };
const torch = values['no-torch']
  ? null
  : PeerProcess.start<StepJob, { ms: number }>(new URL('./torch_peer.py', import.meta.url).pathname);
const rows: Record<string, string | number>[] = [];
for (const id of values.networks.split(',')) {
  const batch = batchOf(id);
  const [channels, height, width] = findTemplate(id)!.input;
  const x = randomUniform([batch, height, width, channels]);
  const y = oneHot(
    tensor1d(
      Array.from({ length: batch }, (_, i) => i % 10),
      'int32',
    ),
    10,
  );
  const [fused, skipping] = [compiled(id), compiled(id)];
  skipInputGradients(skipping);
  const [a, b] = [stepOf(fused, x, y), stepOf(skipping, x, y)];
  // Warm-up: the first steps compile kernels and grow the wasm heap.
  for (let i = 0; i < 2; i++) {
    await a();
    await b();
  }
  const steps: Record<string, () => Promise<number>> = { a, b };
  if (torch) steps.torch = async () => (await torch.run({ kind: 'step', network: id, batch })).ms;
  const times = await interleaved(Number(values.rounds), steps);
  const [ms, skipped] = [median(times.a!), median(times.b!)];
  const torchMs = times.torch ? median(times.torch) : undefined;
  rows.push({
    network: id,
    batch,
    'ms/step, input gradient computed': ms,
    'ms/step, skipped': skipped,
    saved: `${Math.round((100 * (ms - skipped)) / ms)}%`,
    'PyTorch ms/step': torchMs ?? '',
    'speed vs PyTorch': torchMs ? `${((100 * torchMs) / skipped).toFixed(0)}%` : '',
  });
  dispose([x, y]);
  fused.model.dispose();
  skipping.model.dispose();
}
torch?.close();
report('train-step', rows);
