import { describe, expect, it } from 'vitest';
import { dispose, memory, ones, tensor4d, type Tensor } from '@tensorflow/tfjs-core';
import '../test/graph-kit.ts';
import { compileGraph, type CompiledGraph } from '../compile/compile-graph.ts';
import type { Dataset } from '../data/dataset.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { chainGraph } from '../test/graph-kit.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { dataFit } from './data-fit.ts';
import { modelFromFiles, modelToFiles } from '../compile/tfjs-artifacts.ts';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-file.ts';
import { trainConfigSchema, type TrainConfigInput } from './train-config.ts';
import { trainModel, TrainingError, type EvaluationEvent } from './train-loop.ts';
import { trainingMemoryProblem } from './training-memory.ts';
import { SeededRandom } from '../random.ts';

/** Two classes an 8×8 net can tell apart: horizontal or vertical stripes, with noise. */
function stripes(count: number, seed: number): Dataset['train'] {
  const rng = new SeededRandom(seed);
  const images = new Uint8Array(count * 64);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 2;
    labels[n] = label;
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) images[n * 64 + i * 8 + j] = ((label ? j : i) % 2) * 180 + rng.int(60);
  }
  return { images, labels, count };
}

const data: Dataset = {
  name: 'stripes',
  classes: ['horizontal', 'vertical'],
  shape: [1, 8, 8],
  train: stripes(256, 1),
  test: stripes(64, 2),
};

function tinyNet(dropout = false): CompiledGraph {
  const b = new GraphBuilder();
  const x = b.chain(b.add('Input', { channels: 1, height: 8, width: 8 }), [
    ['Conv2D', { filters: 4, kernel: 3, padding: 1, activation: 'relu' }],
    ['BatchNorm', {}],
    ['MaxPool2D', { kernel: 2 }],
    ['Flatten', {}],
  ]);
  b.chain(dropout ? b.add('Dropout', { rate: 0.3 }, x) : x, [
    ['Dense', { units: 2 }],
    ['Output', {}],
  ]);
  const c = compileGraph(b.graph());
  if (!c.ok) throw new Error(c.error.message);
  return c.value;
}

const config = (over: TrainConfigInput = {}) =>
  trainConfigSchema.parse({
    epochs: 3,
    batchSize: 32,
    lr: 0.1,
    optimizer: { kind: 'sgd', momentum: 0.9 },
    ...over,
  });
const weightsOf = (c: CompiledGraph) => c.model.getWeights().map((w) => Array.from(w.dataSync()));

describe('trainModel', () => {
  it('trains and tests on 300 classes: labels and predictions past 255 stay themselves', async () => {
    const set = (count: number) => ({
      images: Uint8Array.from({ length: count * 4 }, (_, i) => (i * 37) % 256),
      labels: Uint16Array.from({ length: count }, (_, i) => i % 300),
      count,
    });
    const many: Dataset = {
      name: 'many',
      classes: Array.from({ length: 300 }, (_, c) => `c${c}`),
      shape: [1, 2, 2],
      train: set(600),
      test: set(300),
    };
    const graph = chainGraph([1, 2, 2], [['Flatten'], ['Dense', { units: 300 }], ['Output']]);
    const compiled = compileGraph(graph);
    if (!compiled.ok) throw new Error(compiled.error.message);
    try {
      const result = await trainModel(
        compiled.value,
        many,
        trainConfigSchema.parse({ epochs: 1, batchSize: 64 }),
      );
      expect(result.test.confusion).toHaveLength(300);
      // One test image of each class: class 299's is counted in its own row (it was 299 mod 256 before).
      expect(result.test.confusion.map((row) => row.reduce((a, b) => a + b))).toEqual(new Array(300).fill(1));
      expect(result.test.predictions).toBeInstanceOf(Uint16Array);
      expect(Number.isFinite(result.history[0]!.trainLoss)).toBe(true);
    } finally {
      compiled.value.model.dispose();
    }
  });

  it('refuses a network too large to train at its batch before a batch runs, with the batch that fits', async () => {
    // 64 maps of 512×512 for each image: 64 MiB, kept and differentiated for each of 256 images.
    const graph = chainGraph(
      [1, 512, 512],
      [
        ['Conv2D', { filters: 64, kernel: 3, padding: 1 }],
        ['GlobalAvgPool'],
        ['Dense', { units: 2 }],
        ['Output'],
      ],
    );
    const compiled = compileGraph(graph);
    if (!compiled.ok) throw new Error(compiled.error.message);
    const config = (batchSize: number) =>
      trainConfigSchema.parse({ batchSize, epochs: 1, preprocess: { resize: 512 } });
    let started = false;
    try {
      const run = trainModel(compiled.value, data, config(256), { onStart: () => void (started = true) });
      await expect(run).rejects.toMatchObject({
        kind: 'tooLarge',
        message: expect.stringMatching(
          /^Training this network at batch 256 needs about 32\.\d GiB .* more than training may use here \(4\.0 GiB\)\. Lower the batch to 16 or less/,
        ),
      });
      expect(started).toBe(false);
      // The batch it offers fits; twice that does not.
      const { totals } = compiled.value.inference;
      expect(trainingMemoryProblem(totals, 16, config(16).optimizer)).toBeNull();
      expect(trainingMemoryProblem(totals, 32, config(32).optimizer)).not.toBeNull();
    } finally {
      compiled.value.model.dispose();
    }
  });

  it('learns, reports every batch and epoch, and leaks no tensors between epochs', async () => {
    const net = tinyNet(true);
    const counts: number[] = [];
    let batches = 0;
    const result = await trainModel(net, data, config(), {
      onBatchEnd: (e) => {
        batches++;
        expect(e.lr).toBe(0.1);
        expect(e.samplesPerSec).toBeGreaterThan(0);
      },
      onEpochEnd: () => counts.push(memory().numTensors),
    });
    expect(batches).toBe(3 * 8);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(result.test.accuracy).toBeGreaterThan(0.9);
    expect(result.test.confusion.flat().reduce((a, b) => a + b)).toBe(64);
    expect(new Set(counts).size).toBe(1);
    net.model.dispose();
  });

  it('reports each evaluation pass batch by batch, the test pass at the end included, and counts them in the time left', async () => {
    const net = tinyNet();
    const passes: EvaluationEvent[] = [];
    const etas: number[] = [];
    // No validation split: each epoch is evaluated on the test set (64 images), then the test pass.
    await trainModel(net, data, config({ epochs: 2, batchSize: 16, validationFraction: 0 }), {
      onBatchEnd: (e) => etas.push(e.etaSeconds),
      onEvaluationBatch: (e) => passes.push(e),
    });
    // Three passes of 64 test images in batches of 16 (each said before its first batch too): after each
    // epoch, and the test pass after the last.
    const pass = (final: boolean) => [0, 16, 32, 48, 64].map((n) => `test ${n}/64${final ? ' final' : ''}`);
    expect(passes.map((e) => `${e.split} ${e.done}/${e.total}${e.final ? ' final' : ''}`)).toEqual([
      ...pass(false),
      ...pass(false),
      ...pass(true),
    ]);
    // The test pass's own time left runs down to nothing; the last batch's still holds the test pass.
    const last = passes.slice(-5).map((e) => e.etaSeconds);
    expect(last.every((t) => Number.isFinite(t) && t >= 0)).toBe(true);
    expect(last.at(-1)).toBe(0);
    expect(etas.at(-1)).toBeGreaterThan(0);
    net.model.dispose();
  });

  it('repeats exactly for a seed, dropout included (cpu backend)', async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const net = tinyNet(true);
      const r = await trainModel(net, data, config({ epochs: 2, seed: 7 }));
      runs.push({ history: r.history.map((h) => [h.trainLoss, h.evalAccuracy]), weights: weightsOf(net) });
      net.model.dispose();
    }
    expect(runs[1]).toEqual(runs[0]);
  });

  it('resumed from a checkpoint (through its file form), ends exactly where an unbroken run does', async () => {
    const straight = tinyNet(true);
    await trainModel(straight, data, config({ epochs: 2, seed: 3, augment: { flip: true, cropPadding: 1 } }));
    const first = tinyNet(true);
    const half = await trainModel(
      first,
      data,
      config({ epochs: 1, seed: 3, augment: { flip: true, cropPadding: 1 } }),
    );
    const file = decodeCheckpoint(encodeCheckpoint(half.checkpoint), 'checkpoint.bin');
    if (!file.ok) throw new Error(file.error);
    const second = tinyNet(true);
    const resumed = await trainModel(
      second,
      data,
      config({ epochs: 2, seed: 3, augment: { flip: true, cropPadding: 1 } }),
      { resumeFrom: file.value },
    );
    expect(resumed.history).toHaveLength(2);
    expect(weightsOf(second)).toEqual(weightsOf(straight));
    for (const n of [straight, first, second]) n.model.dispose();
  });

  it('resumed after a stop in the middle of an epoch, ends exactly where an unbroken run does', async () => {
    const recipe = config({ epochs: 2, seed: 5, augment: { flip: true, cropPadding: 1 } });
    const straight = tinyNet(true);
    const unbroken = await trainModel(straight, data, recipe);
    const first = tinyNet(true);
    const signal = { aborted: false };
    let batches = 0;
    const stopped = await trainModel(first, data, recipe, {
      signal,
      onBatchEnd: () => void (++batches === 3 && (signal.aborted = true)),
    });
    expect(stopped.stoppedBy).toBe('user');
    expect(stopped.checkpoint.epochProgress?.batchesDone).toBe(3);
    const file = decodeCheckpoint(encodeCheckpoint(stopped.checkpoint), 'checkpoint.bin');
    if (!file.ok) throw new Error(file.error);
    const second = tinyNet(true);
    const resumed = await trainModel(second, data, recipe, { resumeFrom: file.value });
    expect(weightsOf(second)).toEqual(weightsOf(straight));
    // The interrupted epoch's metrics count its batches before and after the stop.
    expect(resumed.history[0]!.trainLoss).toBeCloseTo(unbroken.history[0]!.trainLoss, 6);
    for (const n of [straight, first, second]) n.model.dispose();
  });

  it('refuses, in words, to resume a checkpoint written with another Freeze', async () => {
    const first = tinyNet();
    const half = await trainModel(first, data, config({ epochs: 1, seed: 3 }));
    const second = tinyNet();
    // Frozen features put the Dense layer's weights first: the checkpoint's order no longer fits.
    await expect(
      trainModel(second, data, config({ epochs: 2, seed: 3, freeze: 'features' }), {
        resumeFrom: half.checkpoint,
      }),
    ).rejects.toThrow(/written with another Freeze.*\(Start from; --start-from\)/);
    for (const n of [first, second]) n.model.dispose();
  });

  it('stops when asked, keeping what it trained', async () => {
    const net = tinyNet();
    const signal = { aborted: false };
    let seen = 0;
    const r = await trainModel(net, data, config(), {
      signal,
      onBatchEnd: () => void (++seen === 3 && (signal.aborted = true)),
    });
    expect(r.stoppedBy).toBe('user');
    expect(seen).toBe(3);
    expect(r.checkpoint.step).toBe(3);
    net.model.dispose();
  });

  it('stops early when the evaluation accuracy stops improving', async () => {
    const net = tinyNet();
    const r = await trainModel(net, data, config({ epochs: 6, lr: 1e-9, earlyStoppingPatience: 2 }));
    expect(r.stoppedBy).toBe('earlyStopping');
    expect(r.history).toHaveLength(3);
    expect(r.bestEpoch).toBe(1);
    net.model.dispose();
  });

  it('can end with the best epoch’s weights instead of the last', async () => {
    const net = tinyNet();
    // A learning rate that first learns, then wrecks it: the best epoch is not the last.
    const r = await trainModel(
      net,
      data,
      config({ epochs: 4, lr: 0.5, optimizer: { kind: 'sgd', momentum: 0.99 }, restoreBest: true }),
    );
    const best = r.history.reduce((a, b) => (b.evalAccuracy > a.evalAccuracy ? b : a));
    expect(best.epoch).toBeLessThan(4);
    expect(r.bestEpoch).toBe(best.epoch);
    expect(r.test.accuracy).toBe(best.evalAccuracy);
    // The model ends with the best epoch's weights; the checkpoint keeps the last ones, to resume from.
    expect(weightsOf(net)).toEqual(r.checkpoint.best!.weights.map((w) => Array.from(w)));
    expect(r.checkpoint.weights.map((w) => Array.from(w))).not.toEqual(weightsOf(net));
    net.model.dispose();
  });

  it('stops on a non-finite loss, naming the epoch and batch and suggesting a lower learning rate', async () => {
    const net = tinyNet();
    const run = trainModel(
      net,
      data,
      config({ lr: 100, optimizer: { kind: 'sgd', momentum: 0.99 }, epochs: 5 }),
    );
    await expect(run).rejects.toThrow(TrainingError);
    await expect(run).rejects.toThrow(
      /The loss became (NaN|Infinity) at epoch \d+, batch \d+ .* Lower the learning rate, e.g. to 10/,
    );
    net.model.dispose();
  });

  it('refuses a dataset the network cannot take, saying what to change', async () => {
    const b = new GraphBuilder();
    b.chain(b.add('Input', { channels: 1, height: 28, width: 28 }), [
      ['Flatten'],
      ['Dense', { units: 2 }],
      ['Output'],
    ]);
    const c = compileGraph(b.graph());
    if (!c.ok) throw new Error('compile');
    await expect(trainModel(c.value, data, config())).rejects.toThrow(
      /wants 28×28 images, the dataset gives 8×8. Set resize to 28/,
    );
    const resized = await trainModel(c.value, data, config({ epochs: 1, preprocess: { resize: 28 } }));
    expect(resized.history).toHaveLength(1);
    c.value.model.dispose();
  });

  it('refuses, before training, an Output whose width is not the number of classes', async () => {
    const b = new GraphBuilder();
    b.chain(b.add('Input', { channels: 1, height: 8, width: 8 }), [
      ['Flatten'],
      ['Dense', { units: 10 }],
      ['Output'],
    ]);
    const c = compileGraph(b.graph());
    if (!c.ok) throw new Error('compile');
    let batches = 0;
    await expect(
      trainModel(c.value, data, config({ epochs: 1 }), { onBatchEnd: () => void batches++ }),
    ).rejects.toThrow(/outputs 10 classes but stripes has 2\. Set the last Dense layer .* to 2 units/);
    expect(batches).toBe(0);
    c.value.model.dispose();
  });

  it('compiles a network that ends in an image (a feature extractor), and refuses to train it, saying what to add', async () => {
    const b = new GraphBuilder();
    b.chain(b.add('Input', { channels: 1, height: 8, width: 8 }), [
      ['block:vgg', { numConvs: 1, channels: 4 }],
      ['Output'],
    ]);
    const graph = b.graph();
    const inference = inferShapes(graph);
    expect(inference.diagnostics).toEqual([]);
    expect(inference.nodes.get('output1')).toMatchObject({ status: 'ok' });
    const c = compileGraph(graph, inference);
    if (!c.ok) throw new Error('compile');
    // The features come out as they are: no softmax over an image.
    const x = ones([1, 8, 8, 1]);
    const y = c.value.model.predict(x) as Tensor;
    expect(y.shape).toEqual([1, 4, 4, 4]);
    const features = c.value.logitsModel.predict(x) as Tensor;
    expect(y.dataSync()).toEqual(features.dataSync());
    dispose([x, y, features]);
    expect(dataFit(graph, inference, { shape: [1, 8, 8], classes: 2 }).problems).toMatchObject([
      { nodeId: 'output1', message: expect.stringMatching(/ends in 4×4×4 features; .*Add a GlobalAvgPool/) },
    ]);
    await expect(trainModel(c.value, data, config({ epochs: 1 }))).rejects.toThrow(
      /ends in 4×4×4 features; training needs class scores/,
    );
    c.value.model.dispose();
  });

  it('saves weights as tfjs artifacts that load back with the same predictions', async () => {
    const net = tinyNet();
    await trainModel(net, data, config({ epochs: 1 }));
    const loaded = await modelFromFiles(await modelToFiles(net.model));
    const x = stripesTensor();
    const [a, b] = [net.model.predict(x) as Tensor, loaded.predict(x) as Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    net.model.dispose();
    loaded.dispose();
  });
});

/** The first four test images as a tfjs batch, N×H×W×C in 0–1. */
function stripesTensor(): Tensor {
  const values = Float32Array.from(data.test.images.subarray(0, 4 * 64), (v) => v / 255);
  return tensor4d(values, [4, 8, 8, 1]);
}
