/**
 * The GPU benchmark kit's program: bench/gpu/run.sh runs it from the pack `npm run bench:gpu -- --pack`
 * builds, on a bare machine with Python, PyTorch and CUDA (no Node, no browser, no network). It trains LeNet,
 * VGG-mini, ResNet-mini and the 003 article's VGG-11 at 96×96 for a fixed number of batches with tfjs on the
 * GPU (WebGPU through Dawn in Node; wasm where no adapter starts, as in a dry run on a CPU machine) and with
 * each network's exported PyTorch (on CUDA where there is one), taking turns round after round, and writes
 * one table (samples/s, peak memory, the ratio to PyTorch) to --out.
 *
 *   node gpu-bench.mjs [--networks lenet,vgg-mini,resnet-mini,vgg11-96] [--batch 128] [--batches 20]
 *                      [--rounds 2] [--out DIR]
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { memory } from '@tensorflow/tfjs-core';
import { compileGraph } from '../../shared/compile/compile-graph.ts';
import { pytorchModel } from '../../shared/export/pytorch/model-code.ts';
import type { Graph } from '../../shared/graph/document.ts';
import { findTemplate } from '../../shared/templates/catalogue.ts';
import { trainConfigSchema } from '../../shared/train/train-config.ts';
import { trainModel } from '../../shared/train/train-loop.ts';
import { interleaved, median, report } from '../bench-report.ts';
import { PeerProcess } from '../peer-process.ts';
import { startKitBackend, type KitBackend } from './kit-backend.ts';
import { syntheticDataset } from './synthetic-dataset.ts';

const { values } = parseArgs({
  options: {
    networks: { type: 'string', default: 'lenet,vgg-mini,resnet-mini,vgg11-96' },
    batch: { type: 'string', default: '128' },
    batches: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
    out: { type: 'string', default: 'results' },
  },
});
const [batch, batches, rounds] = [Number(values.batch), Number(values.batches), Number(values.rounds)];

/** The networks the kit trains: templates as they are, and the 003 article's VGG-11 fed 96×96 images. */
function network(id: string): Graph {
  const size = /^(.+)-(\d+)$/.exec(id);
  const template = findTemplate(size ? size[1]! : id);
  if (!template) throw new Error(`${id}: no such template`);
  const graph = template.build();
  if (!size) return graph;
  const side = Number(size[2]);
  const nodes = graph.nodes.map((n) =>
    n.type === 'Input' ? { ...n, params: { ...n.params, height: side, width: side } } : n,
  );
  return { ...graph, nodes };
}

const inputOf = (graph: Graph): [number, number, number] => {
  const p = graph.nodes.find((n) => n.type === 'Input')!.params as Record<string, number>;
  return [p.channels!, p.height!, p.width!];
};

interface Measured {
  samplesPerSec: number;
  peakMiB: number;
  device: string;
}

/** tfjs: two epochs of `batches` batches; the second is timed (the first compiles the GPU's programs). */
async function trainTfjs(graph: Graph, backend: KitBackend): Promise<Measured> {
  const compiled = compileGraph(graph);
  if (!compiled.ok) throw new Error(compiled.error.message);
  const config = trainConfigSchema.parse({
    epochs: 2,
    batchSize: batch,
    lr: 0.01,
    init: 'xavier',
    seed: 1,
    maxBatchesPerEpoch: batches,
    optimizer: { kind: 'sgd' },
  });
  let peak = 0;
  const bytes = () => {
    const m = memory() as { numBytes: number; numBytesInGPU?: number };
    return m.numBytesInGPU ?? m.numBytes;
  };
  const run = await trainModel(
    compiled.value,
    syntheticDataset(inputOf(graph), batch * batches, batch),
    config,
    {
      onBatchEnd: () => void (peak = Math.max(peak, bytes())),
    },
  );
  compiled.value.model.dispose();
  return {
    samplesPerSec: run.history.at(-1)!.trainSamplesPerSec,
    peakMiB: peak / 2 ** 20,
    device: backend.device,
  };
}

interface TorchJob {
  modelPy: string;
  input: [number, number, number];
  batch: number;
  batches: number;
}

const backend = await startKitBackend(new URL('./wasm/', import.meta.url).pathname);
process.stderr.write(`tfjs on ${backend.name}: ${backend.device}${backend.why ? ` (${backend.why})` : ''}\n`);
const torch = PeerProcess.start<TorchJob, Measured>(new URL('./gpu_peer.py', import.meta.url).pathname, {
  python: process.env.PYTHON ?? 'python3',
});
const models = mkdtempSync(join(tmpdir(), 'blockwise-gpu-kit-'));

const rows: Record<string, string | number>[] = [];
for (const id of values.networks.split(',')) {
  const graph = network(id);
  const code = pytorchModel(graph);
  if (!code.ok) throw new Error(`${id}: ${code.error.message}`);
  const modelPy = join(models, `${id}.py`);
  writeFileSync(modelPy, code.value.code);
  process.stderr.write(`${id}…\n`);
  const peers: Record<string, () => Promise<Measured>> = { tfjs: () => trainTfjs(graph, backend) };
  if (torch) peers.torch = () => torch.run({ modelPy, input: inputOf(graph), batch, batches });
  const runs = await interleaved(rounds, peers);
  const tfjs = median(runs.tfjs!.map((r) => r.samplesPerSec));
  const theirs = runs.torch ? median(runs.torch.map((r) => r.samplesPerSec)) : undefined;
  rows.push({
    network: id,
    input: inputOf(graph).join('×'),
    batch,
    [`tfjs ${backend.name} samples/s`]: Math.round(tfjs),
    'tfjs peak MiB': Math.round(Math.max(...runs.tfjs!.map((r) => r.peakMiB))),
    'PyTorch samples/s': theirs === undefined ? '' : Math.round(theirs),
    'PyTorch peak MiB': runs.torch ? Math.round(Math.max(...runs.torch.map((r) => r.peakMiB))) : '',
    'tfjs ÷ PyTorch': theirs === undefined ? '' : `${((100 * tfjs) / theirs).toFixed(0)}%`,
    'PyTorch device': runs.torch?.[0]?.device ?? 'no PyTorch',
  });
}
torch?.close();
mkdirSync(values.out, { recursive: true });
report('gpu', rows, values.out);
writeFileSync(join(values.out, 'backend.json'), `${JSON.stringify(backend, null, 2)}\n`);
