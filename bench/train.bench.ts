/**
 * Trains LeNet (d2l's recipe: sigmoid, average pooling, SGD lr 0.9, batch 256), VGG-mini and ResNet-mini on
 * Fashion-MNIST on each backend, and the same networks and recipes in PyTorch (2 threads) when
 * /usr/bin/python3 has torch. Prints train and inference samples/s, test accuracy and our/PyTorch ratios;
 * writes bench/results/train.json.
 *
 *   npm run bench:train -- [--epochs 1] [--networks lenet,vgg-mini,resnet-mini] [--backends wasm[,cpu]]
 *                          [--threads N] [--cpu-batches 20] [--max-batches N] [--no-torch] [--rounds 3]
 *                          [--browser] [--browser-backends wasm[,webgl]] [--webgl-batches 20]
 *
 * The peers take turns: per network, --rounds rounds of each Node backend then PyTorch (tfjs, PyTorch, tfjs,
 * PyTorch…), and the table gives the median of the rounds (with their range) and the ratio of medians, so a
 * neighbour's load on the shared machine falls on both sides. Chromium (--browser) trains once per network,
 * after: one browser session for all.
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
import { interleaved, median, report } from './bench-report.ts';
import { trainInBrowser, type BenchRun } from './browser-training.ts';
import { PeerProcess } from './peer-process.ts';

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
    rounds: { type: 'string', default: '3' },
  },
});
const epochs = Number(values.epochs);
const networks = values.networks.split(',');
const seed = Number(values.seed);
const maxBatches = values['max-batches'] === undefined ? null : Number(values['max-batches']);

const loaded = await new DatasetCatalogue(nodeFileSystem).load({ kind: 'fashion-mnist' });
if (!loaded.ok) throw new Error(loaded.error.message);
const dataset = loaded.value;

/** One network trained on one Node backend, from its initial weights. */
async function ours(id: string, backend: BackendName): Promise<BenchRun> {
  const started = await startNodeBackend(backend, Number(values.threads));
  const label = started.name === 'wasm' ? `wasm-${started.threads}t` : started.name;
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
  const run = await trainModel(compiled.value, dataset, trainConfigSchema.parse(config), {
    onBatchEnd: () => void (peakRss = Math.max(peakRss, process.memoryUsage.rss())),
    onEpochEnd: () => void tensorsPerEpoch.push(memory().numTensors),
  });
  compiled.value.model.dispose();
  const result = {
    network: id,
    backend: label,
    trainSamplesPerSec: run.history.reduce((s, e) => s + e.trainSamplesPerSec, 0) / run.history.length,
    inferSamplesPerSec: run.test.samplesPerSec,
    testAccuracy: run.test.accuracy,
    partial: batches !== null,
    peakRssMiB: peakRss / 2 ** 20,
    tensorsPerEpoch,
  };
  // Printed as it comes: a long run interrupted still leaves its numbers.
  process.stderr.write(`  ${JSON.stringify(result)}\n`);
  return result;
}

type TorchJob = {
  kind: 'train';
  network: string;
  recipe: Recipe;
  epochs: number;
  maxBatches: number | null;
  seed: number;
};
const torch = values['no-torch']
  ? null
  : PeerProcess.start<TorchJob, Omit<BenchRun, 'backend' | 'partial'>>(
      new URL('./torch_peer.py', import.meta.url).pathname,
    );

async function theirs(id: string): Promise<BenchRun> {
  process.stderr.write(`${id} in PyTorch…\n`);
  const job: TorchJob = { kind: 'train', network: id, recipe: RECIPES[id]!, epochs, maxBatches, seed };
  return { ...(await torch!.run(job)), backend: 'pytorch-cpu-2t', partial: maxBatches !== null };
}

/** Every peer of one network, round after round; answers each peer's runs. */
async function roundsOf(id: string): Promise<BenchRun[][]> {
  const peers: Record<string, () => Promise<BenchRun>> = {};
  for (const backend of values.backends.split(',') as BackendName[]) peers[backend] = () => ours(id, backend);
  if (torch) peers.pytorch = () => theirs(id);
  return Object.values(await interleaved(Number(values.rounds), peers));
}

/** One row per peer: the median of its rounds, the range of its training speed, its last run's memory. */
function medianRun(runs: BenchRun[]): BenchRun {
  const last = runs[runs.length - 1]!;
  const train = runs.map((r) => r.trainSamplesPerSec);
  return {
    ...last,
    trainSamplesPerSec: median(train),
    inferSamplesPerSec: median(runs.map((r) => r.inferSamplesPerSec)),
    testAccuracy: median(runs.map((r) => r.testAccuracy)),
    rounds: runs.length,
    trainRange: `${Math.round(Math.min(...train))}–${Math.round(Math.max(...train))}`,
  };
}

const measured = [];
for (const id of networks) measured.push(...(await roundsOf(id)).map(medianRun));
torch?.close();
const browser = values.browser
  ? await trainInBrowser(networks, values['browser-backends'].split(','), {
      epochs,
      threads: Number(values.threads),
      maxBatches,
      webglBatches: Number(values['webgl-batches']),
    })
  : [];
const peer = measured.filter((r) => r.backend.startsWith('pytorch'));
const rows = [...measured, ...browser].map((r) => {
  const torch = peer.find((p) => p.network === r.network);
  return {
    network: r.network,
    backend: r.backend,
    epochs: r.partial ? `${epochs} (partial)` : String(epochs),
    rounds: r.rounds ?? 1,
    'train samples/s': Math.round(r.trainSamplesPerSec),
    'train range': r.trainRange ?? '',
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
