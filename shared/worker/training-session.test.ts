import { gunzipSync, gzipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeIdx } from '../data/idx.ts';
import { CLASS_NAMES_FILE } from '../data/dataset.ts';
import { IDX_FILES } from '../data/idx-dataset.ts';
import { graphFile, serializeGraphFile } from '../graph/file-format.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import '../test/graph-kit.ts';
import { modelFromFiles } from '../compile/tfjs-artifacts.ts';
import { importKerasModel } from '../import/keras-model.ts';
import { trainConfigSchema } from '../train/train-config.ts';
import { parseDesignFile } from '../blocks/design-file.ts';
import { compileGraph } from '../compile/compile-graph.ts';
import { pytorchModel } from '../export/pytorch/model-code.ts';
import { pytorchStateDict, stateDictFiles, type StateEntry } from '../export/pytorch/state-dict.ts';
import { transferWeights } from '../train/transfer.ts';
import { TrainingSession, type SessionHost } from './training-session.ts';
import { trainEventSchema, type TrainEvent } from './worker-protocol.ts';

/** Ten classes of 8×8 images, each class one lit row segment: a dataset the tiny net learns at once. */
function datasetFiles(): Map<string, Uint8Array> {
  const set = (n: number) => {
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    const images = Uint8Array.from({ length: n * 64 }, (_, i) =>
      Math.floor((i % 64) / 6) === labels[Math.floor(i / 64)] ? 255 : 0,
    );
    return { labels, images };
  };
  const [train, test] = [set(200), set(50)];
  return new Map([
    [`${IDX_FILES.trainImages}.gz`, gzipSync(encodeIdx([200, 8, 8], train.images))],
    [IDX_FILES.trainLabels, encodeIdx([200], train.labels)],
    [IDX_FILES.testImages, encodeIdx([50, 8, 8], test.images)],
    [IDX_FILES.testLabels, encodeIdx([50], test.labels)],
  ]);
}

/** The tiny net; `hidden` puts a 16-unit layer before the head (to start from with the features fixed). */
function graphText(hidden = false): string {
  const b = new GraphBuilder();
  const features = b.chain(b.add('Input', { channels: 1, height: 8, width: 8 }), [['Flatten']]);
  const x = hidden ? b.add('Dense', { units: 16, activation: 'relu' }, features) : features;
  b.chain(x, [['Dense', { units: 10 }], ['Output']]);
  return serializeGraphFile(graphFile(b.graph(), 'tiny'));
}

/** `gpu`: the host offers WebGL first, as a worker on a real GPU does (every backend here is cpu). */
function session(files = datasetFiles(), gpu = false) {
  const events: TrainEvent[] = [];
  const started: string[] = [];
  let settle: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (settle = resolve));
  const host: SessionHost = {
    post: (e) => {
      // Every message the worker sends fits the protocol the page checks it with.
      expect(trainEventSchema.safeParse(e).success, e.kind).toBe(true);
      events.push(e);
      if (e.kind === 'done' || e.kind === 'error' || e.kind === 'measured') settle();
    },
    readDatasetFile: async (id, name) => (id === 'fashion-mnist' ? (files.get(name) ?? null) : null),
    gunzip: async (bytes) => gunzipSync(bytes),
    backendsToTry: (choice) =>
      choice !== 'auto'
        ? { order: [choice], why: null }
        : gpu
          ? { order: ['webgl', 'wasm', 'cpu'], why: 'a GPU' }
          : { order: ['wasm', 'cpu'], why: 'software WebGL (SwiftShader): wasm is faster here' },
    startBackend: async (name) => {
      started.push(name);
      return { name, device: `${name} (cpu here)`, threads: 1 };
    },
  };
  return { events, finished, started, run: new TrainingSession(host) };
}

/** A trained run's weights as the state_dict of its exported model.py. */
function trainedStateDict(trained: Extract<TrainEvent, { kind: 'done' }>): StateEntry[] {
  const file = parseDesignFile(graphText());
  if (!file.ok) throw new Error(file.error.message);
  const compiled = compileGraph(file.value.graph);
  if (!compiled.ok) throw new Error(compiled.error.message);
  const files = trained.files;
  transferWeights(compiled.value, {
    modelJson: files['model.json'] as string,
    weightsBin: files['weights.bin'] as Uint8Array,
  });
  const model = pytorchModel(file.value.graph, compiled.value.inference);
  if (!model.ok) throw new Error(model.error.message);
  const state = pytorchStateDict(compiled.value, model.value.modulePaths);
  compiled.value.model.dispose();
  if (!state.ok) throw new Error(state.error.message);
  return state.value;
}

const start = (over: Record<string, unknown> = {}) => ({
  kind: 'start',
  graphText: graphText(),
  config: trainConfigSchema.parse({ epochs: 2, batchSize: 20, lr: 0.5, ...over }),
  dataset: { id: 'fashion-mnist' },
  backend: 'cpu',
  threads: 1,
});

describe('the training worker’s session', () => {
  it('reads the dataset through the host, trains, reports progress and epochs, and hands over the run files', async () => {
    const { events, finished, run } = session();
    run.handle(start());
    await finished;
    const kinds = events.map((e) => e.kind);
    expect(kinds.slice(0, 3)).toEqual(['status', 'status', 'started']);
    expect(kinds.filter((k) => k === 'epoch')).toHaveLength(2);
    expect(kinds.at(-1)).toBe('done');
    // After the last epoch, the test pass says where it stands, from its start to its end, then the run.
    const testPass = events.slice(kinds.lastIndexOf('epoch') + 1, -1);
    expect(testPass.every((e) => e.kind === 'evaluating' && e.split === 'test' && e.final)).toBe(true);
    expect(testPass[0]).toMatchObject({ done: 0 });
    expect(testPass.at(-1)).toMatchObject({ done: expect.any(Number) });
    const end = testPass.at(-1) as Extract<TrainEvent, { kind: 'evaluating' }>;
    expect(end.done).toBe(end.total);
    const points = events.flatMap((e) => (e.kind === 'progress' ? [...e.step] : []));
    expect(points).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const done = events.at(-1) as Extract<TrainEvent, { kind: 'done' }>;
    expect(Object.keys(done.files).sort()).toEqual([
      'checkpoint.bin',
      'graph.blockwise.json',
      'model.json',
      'run.json',
      'weights.bin',
    ]);
    expect(done.record).toMatchObject({ format: 'blockwise/run', backend: 'cpu', stoppedBy: 'completed' });
    expect((done.record as { test: { accuracy: number } }).test.accuracy).toBeGreaterThan(0.5);
  });

  it('names the classes as the host’s classes.json does, and numbers them without one', async () => {
    const names = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const classesOf = async (files: Map<string, Uint8Array>) => {
      const { events, finished, run } = session(files);
      run.handle(start({ epochs: 1, maxBatchesPerEpoch: 1 }));
      await finished;
      const started = events.find((e) => e.kind === 'started');
      return started?.kind === 'started' ? started.dataset.classes : null;
    };
    const named = datasetFiles().set(CLASS_NAMES_FILE, strToU8(JSON.stringify(names)));
    expect(await classesOf(named)).toEqual(names);
    expect(await classesOf(datasetFiles())).toEqual(names.map((_, i) => String(i)));
  });

  it('on a real GPU, auto times a few steps on WebGL and on wasm and trains on the faster', async () => {
    const { events, finished, started, run } = session(datasetFiles(), true);
    run.handle({ ...start(), backend: 'auto' });
    await finished;
    const texts = events.map((e) => (e.kind === 'status' ? e.text : ''));
    const verdict = texts.find((t) => / per batch: training on /.test(t))!;
    expect(verdict).toMatch(/^webgl \d+ ms, wasm \d+ ms per batch: training on (webgl|wasm)\.$/);
    const winner = /training on (\w+)/.exec(verdict)![1]!;
    expect(started).toEqual(['webgl', 'wasm', winner]);
    expect(events.find((e) => e.kind === 'started')).toMatchObject({
      backend: winner,
      why: expect.stringMatching(
        new RegExp(`^webgl \\d+ ms, wasm \\d+ ms per batch: ${winner} is faster here$`),
      ),
    });
    // Without a GPU, auto takes the first that starts, untimed, and says why it did.
    const plain = session();
    plain.run.handle({ ...start(), backend: 'auto' });
    await plain.finished;
    expect(plain.started).toEqual(['wasm']);
    expect(plain.events.find((e) => e.kind === 'started')).toMatchObject({
      backend: 'wasm',
      why: 'software WebGL (SwiftShader): wasm is faster here',
    });
  });

  it('pauses between batches, resumes, and stops keeping what it trained', async () => {
    const { events, finished, run } = session();
    run.handle(start({ epochs: 50 }));
    while (!events.some((e) => e.kind === 'progress')) await new Promise((r) => setTimeout(r, 5));
    run.handle({ kind: 'pause' });
    const count = () => events.filter((e) => e.kind === 'progress').length;
    await new Promise((r) => setTimeout(r, 50));
    const whilePaused = count();
    await new Promise((r) => setTimeout(r, 200));
    expect(count()).toBe(whilePaused);
    run.handle({ kind: 'resume' });
    run.handle({ kind: 'stop' });
    await finished;
    const done = events.at(-1) as Extract<TrainEvent, { kind: 'done' }>;
    expect(done.record).toMatchObject({ stoppedBy: 'user' });
    expect(events.filter((e) => e.kind === 'paused').map((e) => (e as { paused: boolean }).paused)).toEqual([
      true,
      false,
    ]);
  });

  it('starts from another run’s weights, keeping the features fixed and training the head', async () => {
    const first = session();
    first.run.handle({ ...start(), graphText: graphText(true) });
    await first.finished;
    const trained = first.events.at(-1) as Extract<TrainEvent, { kind: 'done' }>;
    const second = session();
    second.run.handle({
      ...start({ freeze: 'features' }),
      graphText: graphText(true),
      startFrom: { modelJson: trained.files['model.json'], weights: trained.files['weights.bin'] },
    });
    await second.finished;
    expect(second.events.map((e) => (e.kind === 'status' ? e.text : '')).join()).toMatch(
      /Starting from trained weights in 2 layer\(s\)/,
    );
    const retrained = second.events.at(-1) as Extract<TrainEvent, { kind: 'done' }>;
    // By name: a frozen layer's weights come after the trainable ones in tfjs's own order.
    const weights = async (files: Extract<TrainEvent, { kind: 'done' }>['files']) => {
      const model = await modelFromFiles({
        modelJson: files['model.json'] as string,
        weightsBin: files['weights.bin'] as Uint8Array,
      });
      const named = Object.fromEntries(
        model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]),
      );
      model.dispose();
      return named;
    };
    const [before, after] = [await weights(trained.files), await weights(retrained.files)];
    // The hidden layer is as the first run left it; the head has trained on.
    expect(after['dense1_dense/kernel']).toEqual(before['dense1_dense/kernel']);
    expect(after['dense1_dense/bias']).toEqual(before['dense1_dense/bias']);
    expect(after['dense2/kernel']).not.toEqual(before['dense2/kernel']);
  });

  it('tests an imported model’s weights and hands them over as a run of no epochs; misfit weights are named', async () => {
    const first = session();
    first.run.handle(start());
    await first.finished;
    const trained = first.events.at(-1) as Extract<TrainEvent, { kind: 'done' }>;
    const modelJson = trained.files['model.json'] as string;
    const imported = importKerasModel(modelJson);
    if (!imported.ok) throw new Error(imported.error);
    const request = (weights: Uint8Array) => ({
      ...start(),
      graphText: serializeGraphFile(graphFile(imported.value.graph, 'imported')),
      imported: { modelJson, weights, weightSources: imported.value.weightSources, from: 'model.json' },
    });
    const second = session();
    second.run.handle(request(trained.files['weights.bin'] as Uint8Array));
    await second.finished;
    const kept = second.events.at(-1) as Extract<TrainEvent, { kind: 'done' }>;
    expect(kept.kind, JSON.stringify(kept)).toBe('done');
    expect(kept.record).toMatchObject({ importedFrom: 'model.json', epochs: [], config: { epochs: 0 } });
    const { loss, accuracy, confusion } = trained.record['test'] as Record<string, unknown>;
    expect(kept.record['test']).toMatchObject({ loss, accuracy, confusion });
    expect(second.events.some((e) => e.kind === 'progress')).toBe(false);
    const short = session();
    short.run.handle(request(new Uint8Array(8)));
    await short.finished;
    expect(short.events.at(-1)).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/^The weights of model\.json do not fit: the weights do not fit/),
    });
  });

  it('tests a PyTorch state_dict as the host converted it (torchState) by the exported names, and names a missing tensor', async () => {
    const first = session();
    first.run.handle(start());
    await first.finished;
    const trained = first.events.at(-1) as Extract<TrainEvent, { kind: 'done' }>;
    const state = trainedStateDict(trained);
    const request = (entries: readonly StateEntry[]) => {
      const { manifest, bin } = stateDictFiles(entries);
      return { ...start(), imported: { torchState: { index: manifest, values: bin }, from: 'tiny.pth' } };
    };
    const second = session();
    second.run.handle(request(state));
    await second.finished;
    const kept = second.events.at(-1) as Extract<TrainEvent, { kind: 'done' }>;
    expect(kept.kind, JSON.stringify(kept)).toBe('done');
    expect(kept.record).toMatchObject({ importedFrom: 'tiny.pth', epochs: [], config: { epochs: 0 } });
    const { loss, accuracy, confusion } = trained.record['test'] as Record<string, unknown>;
    expect(kept.record['test']).toMatchObject({ loss, accuracy, confusion });
    const missing = session();
    missing.run.handle(request(state.filter((e) => !e.name.endsWith('.bias'))));
    await missing.finished;
    expect(missing.events.at(-1)).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/^The weights of tiny\.pth do not fit: .*bias/),
    });
  });

  it('says what is wrong with a missing or damaged dataset, or a malformed message', async () => {
    const files = datasetFiles();
    files.set(`${IDX_FILES.trainImages}.gz`, files.get(`${IDX_FILES.trainImages}.gz`)!.subarray(0, 30));
    const damaged = session(files);
    damaged.run.handle(start());
    await damaged.finished;
    expect(damaged.events.at(-1)).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/train-images-idx3-ubyte\.gz is not a readable gzip file/),
    });
    const missing = session(new Map());
    missing.run.handle(start());
    await missing.finished;
    expect(missing.events.at(-1)).toMatchObject({
      message: expect.stringMatching(/apt-get install dataset-fashion-mnist/),
    });
    const bad = session();
    bad.run.handle({ kind: 'start', graphText: 5 });
    await bad.finished;
    expect(bad.events.at(-1)).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/malformed message/),
    });
  });
});

describe('measuring inference speed in the worker', () => {
  it('answers each design’s samples/s in order, and why one cannot run', async () => {
    const s = session();
    const wide = serializeGraphFile(
      graphFile(
        (() => {
          const b = new GraphBuilder();
          b.chain(b.add('Input', { channels: 1, height: 8, width: 8 }), [
            ['Flatten'],
            ['Dense', { units: 512, activation: 'relu' }],
            ['Dense', { units: 10 }],
            ['Output'],
          ]);
          return b.graph();
        })(),
        'wide',
      ),
    );
    const broken = graphText().replace('"units": 10', '"units": -1');
    s.run.handle({
      kind: 'measureInference',
      graphTexts: [graphText(), wide, broken],
      batch: 32,
      backend: 'cpu',
      threads: 1,
    });
    await s.finished;
    const measured = s.events.find((e) => e.kind === 'measured');
    if (measured?.kind !== 'measured') throw new Error(JSON.stringify(s.events));
    expect(measured.backend).toBe('cpu');
    const [tiny, big, bad] = measured.results;
    expect(tiny!.samplesPerSec).toBeGreaterThan(0);
    expect(big!.samplesPerSec).toBeGreaterThan(0);
    // About 60 times the multiply-adds: slower, whatever the machine.
    expect(big!.samplesPerSec!).toBeLessThan(tiny!.samplesPerSec!);
    expect(bad).toMatchObject({ samplesPerSec: null, problem: expect.stringMatching(/units/) });
  });
});
