import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { compileGraph, type CompiledGraph } from '../../shared/compile/compile-graph.ts';
import type { Dataset } from '../../shared/data/dataset.ts';
import { imageSize } from '../../shared/data/dataset.ts';
import { makeBatch, type Preprocess } from '../../shared/data/preprocess.ts';
import { gradCam } from '../../shared/inspect/grad-cam.ts';
import { layerOutputs } from '../../shared/inspect/layer-outputs.ts';
import {
  channelGrid,
  heatOverImage,
  type DatasetImage,
  type Picture,
} from '../../shared/inspect/pictures.ts';
import { SeededRandom } from '../../shared/random.ts';
import { keptRunModel } from '../../shared/train/kept-run-model.ts';
import { trainConfigSchema } from '../../shared/train/train-config.ts';
import { networkInput } from '../../shared/train/train-loop.ts';
import { startNodeBackend } from '../train/node-backends.ts';
import {
  load,
  oneSource,
  UsageError,
  type CliIo,
  type Command,
  type CommandSpec,
  type Values,
} from './command-kit.ts';
import { DATA_OPTIONS, LOADED_OPTIONS } from './command-options.ts';
import { readRun } from './export-pytorch.ts';
import { backendFlag, loadDataset, recipeOfSource, threadsFlag } from './train-command.ts';

export const INSPECT_USAGE = `  inspect RUN_DIR|FILE|template:NAME --image N --out DIR [--layers ID,…] [--dataset …]
                                what each layer makes of test image N: a PNG of its feature maps, the first
                                convolution's filters, layers.json with each layer's statistics
  explain RUN_DIR|FILE|template:NAME --image N --out CAM.png [--class K] [--layer ID] [--dataset …] [--json]
                                Grad-CAM of test image N for the predicted class (or K) at the last layer every
                                path passes through (or ID), over the image; prints the top classes`;

/** The network with its weights (a run's trained ones, or a design's initial ones) and how its data is fed. */
interface Subject {
  compiled: CompiledGraph;
  preprocess: Preprocess;
}

async function subjectOf(positionals: string[], v: Values, io: CliIo): Promise<Subject | null> {
  const source = oneSource(positionals);
  if (await io.fs.exists(join(source, 'run.json'))) {
    const kept = keptRunModel(await readRun(source, io));
    if (!kept.ok) throw new UsageError(`${source}: ${kept.error}`);
    return { compiled: kept.value.compiled, preprocess: kept.value.record.config.preprocess };
  }
  const file = await load(positionals, v, io);
  if (!file) return null;
  const compiled = compileGraph(file.graph);
  if (!compiled.ok) throw new UsageError(`${source}: ${compiled.error.message}`);
  return {
    compiled: compiled.value,
    preprocess: trainConfigSchema.parse(recipeOfSource(file, source)).preprocess,
  };
}

function wholeNumberFlag(v: Values, name: string, below: number): number | undefined {
  const text = v[name];
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n >= below)
    throw new UsageError(`--${name} must be a whole number from 0 to ${below - 1}, not "${String(text)}"`);
  return n;
}

function outFlag(v: Values): string {
  if (typeof v['out'] !== 'string') throw new UsageError('--out is required: where to write the pictures');
  return v['out'];
}

/** Test image N as the dataset holds it, and as the network is fed it. */
function testImage(data: Dataset, n: number, subject: Subject): { raw: DatasetImage; fed: Tensor4D } {
  const [channels, height, width] = data.shape;
  const size = imageSize(data);
  const raw = { channels, height, width, pixels: data.test.images.slice(n * size, (n + 1) * size) };
  const input = networkInput(subject.compiled.model);
  const batch = makeBatch(data.test, [n], data, input, subject.preprocess, null, new SeededRandom(0));
  batch.labels.dispose();
  return { raw, fed: batch.x };
}

async function setUp(positionals: string[], v: Values, io: CliIo) {
  const data = await loadDataset(v, io);
  if (!data) return null;
  const n = wholeNumberFlag(v, 'image', data.test.count);
  if (n === undefined)
    throw new UsageError(`--image is required: a test image from 0 to ${data.test.count - 1}`);
  await startNodeBackend(backendFlag(v), threadsFlag(v));
  const subject = await subjectOf(positionals, v, io);
  if (!subject) return null;
  return { data, subject, image: testImage(data, n, subject), n };
}

const writePicture = (io: CliIo, path: string, p: Picture) =>
  io.fs.writeBytes(path, encodePng({ width: p.width, height: p.height, data: p.rgba, channels: 4 }));

const explain: Command = async (positionals, v, io) => {
  const out = outFlag(v);
  const ready = await setUp(positionals, v, io);
  if (!ready) return 1;
  const { data, subject, image, n } = ready;
  try {
    const classIndex = wholeNumberFlag(v, 'class', data.classes.length);
    const nodeId = typeof v['layer'] === 'string' ? v['layer'] : undefined;
    const cam = gradCam(subject.compiled, image.fed, { classIndex, nodeId });
    if (!cam.ok) throw new UsageError(cam.error);
    await writePicture(io, out, heatOverImage(image.raw, cam.value.cam));
    const top = cam.value.probabilities
      .map((p, k) => ({ class: k, name: data.classes[k] ?? String(k), probability: p }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, 3);
    const label = data.test.labels[n]!;
    if (v['json'] === true)
      io.out(
        JSON.stringify(
          { image: n, label, layer: cam.value.nodeId, class: cam.value.classIndex, top },
          null,
          2,
        ),
      );
    else {
      io.out(
        `Test image ${n} (${data.classes[label] ?? label}); Grad-CAM at ${cam.value.nodeId} for class ${cam.value.classIndex} (${data.classes[cam.value.classIndex]}): ${out}`,
      );
      for (const t of top) io.out(`  ${(100 * t.probability).toFixed(1).padStart(5)}%  ${t.class} ${t.name}`);
    }
    return 0;
  } finally {
    image.fed.dispose();
    subject.compiled.model.dispose();
  }
};

/** The layers inspected by default: every one with a spatial output, and the head's vectors. */
function defaultLayers(compiled: CompiledGraph): string[] {
  const { order, results } = compiled.inference.flat;
  return order.filter((n) => n.type !== 'Input' && results.get(n.id)?.status === 'ok').map((n) => n.id);
}

const fileName = (nodeId: string) => nodeId.replace(/[^A-Za-z0-9_.-]/g, '_');

const inspect: Command = async (positionals, v, io) => {
  const out = outFlag(v);
  const ready = await setUp(positionals, v, io);
  if (!ready) return 1;
  const { subject, image, n } = ready;
  try {
    const asked = typeof v['layers'] === 'string' ? v['layers'].split(',') : defaultLayers(subject.compiled);
    const unknown = asked.find((id) => !subject.compiled.nodeOutputs.has(id));
    if (unknown) throw new UsageError(`--layers: no layer "${unknown}" (summary --expand lists them)`);
    await io.fs.makeDir(out);
    const outputs = layerOutputs(subject.compiled, image.fed, asked);
    for (const o of outputs.filter((o) => o.shape.length === 3))
      await writePicture(
        io,
        join(out, `${fileName(o.nodeId)}.png`),
        channelGrid(o.values, o.shape as [number, number, number]),
      );
    const firstConv = subject.compiled.inference.flat.order.find((node) => node.type === 'Conv2D');
    const kernel =
      firstConv &&
      [...subject.compiled.model.layers].find(
        (l) => subject.compiled.nodeLayers.get(firstConv.id)?.includes(l.name) && l.weights.length > 0,
      )?.weights[0];
    if (firstConv && kernel) {
      const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
      // Each filter of the first input channel, as a kh×kw tile: channels last, one channel per filter.
      const values = (kernel.read().dataSync() as Float32Array).filter(
        (_, i) => Math.floor(i / cout) % cin === 0,
      );
      await writePicture(
        io,
        join(out, `${fileName(firstConv.id)}.filters.png`),
        channelGrid(values, [kh, kw, cout], 16),
      );
    }
    const summary = outputs.map(({ nodeId, shape, stats }) => ({ layer: nodeId, shape, ...stats }));
    await io.fs.writeBytes(
      join(out, 'layers.json'),
      `${JSON.stringify({ image: n, layers: summary }, null, 2)}\n`,
    );
    io.out(`Test image ${n}: ${outputs.length} layers inspected, pictures and layers.json in ${out}/`);
    return 0;
  } finally {
    image.fed.dispose();
    subject.compiled.model.dispose();
  }
};

export const inspectCommands: Record<string, CommandSpec> = {
  inspect: { run: inspect, options: [...LOADED_OPTIONS, ...DATA_OPTIONS, 'image', 'layers', 'out'] },
  explain: {
    run: explain,
    options: [...LOADED_OPTIONS, ...DATA_OPTIONS, 'image', 'class', 'layer', 'out', 'json'],
  },
};
