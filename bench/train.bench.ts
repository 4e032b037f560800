/**
 * Trains LeNet (d2l's recipe: sigmoid, average pooling, SGD lr 0.9, batch 256), VGG-mini and ResNet-mini on
 * Fashion-MNIST on each backend, and the same networks and recipes in PyTorch (2 threads) when
 * /usr/bin/python3 has torch. Prints train and inference samples/s, test accuracy and our/PyTorch ratios;
 * writes bench/results/train.json.
 *
 *   npm run bench:train -- [--epochs 1] [--networks lenet,vgg-mini,resnet-mini] [--backends wasm[,cpu]]
 *                          [--threads N] [--cpu-batches 20] [--max-batches N] [--no-torch]
 *                          [--browser] [--browser-backends wasm[,webgl]] [--webgl-batches 20]
 *
 * --browser also trains each network in headless Chromium through the app's own training worker, started
 * from the Train panel with the template's recipe (the same recipes as here), and prints it beside Node.
 *
 * wasm runs on --threads threads (default: every core, as PyTorch does; see main/train/wasm-threads.ts).
 *
 * --max-batches trains that many batches per epoch on every backend, in Chromium and in PyTorch (speeds
 * compare; the accuracy is marked partial): DenseNet-mini's full epoch takes about half an hour on wasm here.
 *
 * The cpu backend (plain JavaScript) is very slow on conv nets, so it runs only when named (--backends
 * wasm,cpu), training --cpu-batches batches per epoch (speed measured, accuracy marked partial); its full
 * test-set evaluation alone takes many minutes for ResNet-mini.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { compileGraph } from '../shared/compile/compile-graph.ts';
import { findTemplate } from '../shared/templates/catalogue.ts';
import type { BackendName } from '../shared/train/backend.ts';
import { trainConfigSchema, type TrainConfigInput } from '../shared/train/train-config.ts';
import { memory } from '@tensorflow/tfjs-core';
import { trainModel } from '../shared/train/train-loop.ts';
import { DatasetCatalogue } from '../main/services/dataset-catalogue.ts';
import { nodeFileSystem } from '../main/services/file-system.ts';
import { startNodeBackend } from '../main/train/node-backends.ts';
import { report } from './bench-report.ts';
import { trainInBrowser, type BenchRun } from './browser-training.ts';

interface Recipe {
  lr: number;
  batch: number;
  momentum?: number;
  weightDecay?: number;
  /** Per batch, from lr down to 0 over the whole run (PyTorch: CosineAnnealingLR stepped per batch). */
  schedule?: 'cosine';
  init: 'pytorch' | 'xavier';
}

const RECIPES: Record<string, Recipe> = {
  lenet: { lr: 0.9, batch: 256, init: 'xavier' },
  'vgg-mini': {
    lr: 0.05,
    batch: 128,
    momentum: 0.9,
    weightDecay: 5e-4,
    schedule: 'cosine',
    init: 'pytorch',
  },
  'resnet-mini': { lr: 0.05, batch: 128, momentum: 0.9, init: 'pytorch' },
  'densenet-mini': { lr: 0.05, batch: 128, momentum: 0.9, init: 'pytorch' },
};

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '1' },
    networks: { type: 'string', default: Object.keys(RECIPES).join(',') },
    backends: { type: 'string', default: 'wasm' },
    'cpu-batches': { type: 'string', default: '3' },
    'max-batches': { type: 'string' },
    'no-torch': { type: 'boolean', default: false },
    threads: { type: 'string', default: String(availableParallelism()) },
    seed: { type: 'string', default: '1' },
    browser: { type: 'boolean', default: false },
    'browser-backends': { type: 'string', default: 'wasm' },
    'webgl-batches': { type: 'string', default: '20' },
  },
});
const epochs = Number(values.epochs);
const networks = values.networks.split(',');
const seed = Number(values.seed);
const maxBatches = values['max-batches'] === undefined ? null : Number(values['max-batches']);

async function ours(): Promise<BenchRun[]> {
  const loaded = await new DatasetCatalogue(nodeFileSystem).load({ kind: 'fashion-mnist' });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const results: BenchRun[] = [];
  for (const backend of values.backends.split(',') as BackendName[]) {
    const started = await startNodeBackend(backend, Number(values.threads));
    const label = started.name === 'wasm' ? `wasm-${started.threads}t` : started.name;
    for (const id of networks) {
      const r = RECIPES[id]!;
      const compiled = compileGraph(findTemplate(id)!.build());
      if (!compiled.ok) throw new Error(compiled.error.message);
      const batches = backend === 'cpu' ? Number(values['cpu-batches']) : maxBatches;
      const config: TrainConfigInput = {
        epochs,
        batchSize: r.batch,
        lr: r.lr,
        init: r.init,
        seed,
        maxBatchesPerEpoch: batches,
        optimizer: { kind: 'sgd', momentum: r.momentum ?? 0, weightDecay: r.weightDecay ?? 0 },
        schedule: { kind: r.schedule ?? 'constant' },
      };
      process.stderr.write(`${id} on ${label}…\n`);
      // Memory: the process's peak resident size, and tfjs's live tensors after each epoch (flat: no leak).
      let peakRss = process.memoryUsage.rss();
      const tensorsPerEpoch: number[] = [];
      const run = await trainModel(compiled.value, loaded.value, trainConfigSchema.parse(config), {
        onBatchEnd: () => void (peakRss = Math.max(peakRss, process.memoryUsage.rss())),
        onEpochEnd: () => void tensorsPerEpoch.push(memory().numTensors),
      });
      const trainRate = run.history.reduce((s, e) => s + e.trainSamplesPerSec, 0) / run.history.length;
      const result = {
        network: id,
        backend: label,
        trainSamplesPerSec: trainRate,
        inferSamplesPerSec: run.test.samplesPerSec,
        testAccuracy: run.test.accuracy,
        partial: batches !== null,
        peakRssMiB: peakRss / 2 ** 20,
        tensorsPerEpoch,
      };
      // Printed as it comes: a long run interrupted still leaves its numbers.
      process.stderr.write(`  ${JSON.stringify(result)}\n`);
      results.push(result);
      compiled.value.model.dispose();
    }
  }
  return results;
}

function torchPeer(): BenchRun[] {
  const python = '/usr/bin/python3';
  if (values['no-torch'] || !existsSync(python) || spawnSync(python, ['-c', 'import torch']).status !== 0) {
    process.stderr.write(
      'PyTorch peer skipped: /usr/bin/python3 with torch not found (apt-get install python3-torch).\n',
    );
    return [];
  }
  process.stderr.write('PyTorch peer…\n');
  const job = { networks, recipes: RECIPES, epochs, seed, maxBatches };
  const run = spawnSync(python, [new URL('./torch_peer.py', import.meta.url).pathname, JSON.stringify(job)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`PyTorch peer failed: ${run.stderr}`);
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => ({
      ...(JSON.parse(line) as Omit<BenchRun, 'backend' | 'partial'>),
      backend: 'pytorch-cpu-2t',
      partial: maxBatches !== null,
    }));
}

const mine = await ours();
const browser = values.browser
  ? await trainInBrowser(networks, values['browser-backends'].split(','), {
      epochs,
      threads: Number(values.threads),
      maxBatches,
      webglBatches: Number(values['webgl-batches']),
    })
  : [];
const peer = torchPeer();
const rows = [...mine, ...browser, ...peer].map((r) => {
  const torch = peer.find((p) => p.network === r.network);
  return {
    network: r.network,
    backend: r.backend,
    epochs: r.partial ? `${epochs} (partial)` : String(epochs),
    'train samples/s': Math.round(r.trainSamplesPerSec),
    'infer samples/s': Math.round(r.inferSamplesPerSec),
    'test acc': r.partial ? `(${r.testAccuracy.toFixed(4)})` : r.testAccuracy.toFixed(4),
    'train vs torch':
      torch && r !== torch ? `${((100 * r.trainSamplesPerSec) / torch.trainSamplesPerSec).toFixed(0)}%` : '',
    'infer vs torch':
      torch && r !== torch ? `${((100 * r.inferSamplesPerSec) / torch.inferSamplesPerSec).toFixed(0)}%` : '',
    'acc − torch': torch && r !== torch && !r.partial ? (r.testAccuracy - torch.testAccuracy).toFixed(4) : '',
    'peak RSS MiB': r.peakRssMiB === undefined ? '' : Math.round(r.peakRssMiB),
    'tensors/epoch': r.tensorsPerEpoch?.join(' ') ?? '',
  };
});
report(epochs === 1 ? 'train' : `train-${epochs}-epochs`, rows);
