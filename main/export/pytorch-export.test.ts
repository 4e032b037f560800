import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pytorchModel } from '../../shared/export/pytorch/model-code.ts';
import type { Graph } from '../../shared/graph/document.ts';
import { graphFile, serializeGraphFile } from '../../shared/graph/file-format.ts';
import { encodeIdx } from '../../shared/data/idx.ts';
import { GraphBuilder } from '../../shared/graph/graph-builder.ts';
import { inferShapes } from '../../shared/shapes/infer-shapes.ts';
import { findTemplate } from '../../shared/templates/catalogue.ts';
import { compileGraph } from '../../shared/compile/compile-graph.ts';
import type { Dataset } from '../../shared/data/dataset.ts';
import { pytorchProject } from '../../shared/export/pytorch/project.ts';
import { flattenOrder } from '../../shared/layers/weight-layout.ts';
import { SeededRandom } from '../../shared/random.ts';
import '../../shared/test/graph-kit.ts';
import { trainConfigSchema } from '../../shared/train/train-config.ts';
import { trainModel } from '../../shared/train/train-loop.ts';
import { runCli } from '../cli/cli.ts';
import type { CliIo } from '../cli/command-kit.ts';
import { DocumentService } from '../host/document-service.ts';
import { nodeFileSystem } from '../services/file-system.ts';
import { exportCases } from './export-cases.ts';
import { jsonLines, pythonScript, runPython } from './python-runner.ts';

/**
 * torchrun with two processes. Debian's PyTorch 1.13 on Python 3.11 cannot parse torchrun's default redirects
 * (these two are the same); workers are checked every 0.2 s, not 5, so a run ends when it is done.
 */
const TORCHRUN_2 = [
  ...['-m', 'torch.distributed.run', '--redirects', '1', '--tee', '1'],
  ...['--monitor_interval', '0.2', '--nproc_per_node', '2'],
];

describe('PyTorch export: model.py', () => {
  it('builds in PyTorch with the output shape, trainable parameters and buffers of the summary, for every template, fixture and option', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-torch-'));
    const cases = exportCases();
    const expected = cases.map(([name, graph], i) => {
      const inference = inferShapes(graph);
      expect(
        inference.diagnostics.filter((d) => d.severity === 'error'),
        name,
      ).toEqual([]);
      const code = pytorchModel(graph, inference);
      if (!code.ok) throw new Error(`${name}: ${code.error.message}`);
      const path = join(dir, `model_${i}.py`);
      writeFileSync(path, code.value.code);
      const input = graph.nodes.find((n) => n.type === 'Input')!;
      const output = graph.nodes.find((n) => n.type === 'Output')!;
      const shown = inference.nodes.get(output.id);
      const shape = shown?.status === 'ok' ? [...shown.outputs.get('out')!] : [];
      const { channels, height, width } = input.params as Record<string, number>;
      return {
        name,
        path,
        input: [channels ?? 1, height ?? 28, width ?? 28],
        built: {
          path,
          output: shape,
          trainable: inference.totals.params.trainable,
          buffers: inference.totals.params.nonTrainable,
        },
      };
    });
    writeFileSync(
      join(dir, 'spec.json'),
      JSON.stringify(expected.map(({ path, input }) => ({ path, input }))),
    );
    const { stdout } = await runPython([pythonScript('model_stats.py'), join(dir, 'spec.json')]);
    const measured = jsonLines<{ path: string }>(stdout);
    expect(measured.map((m) => m.path)).toEqual(expected.map((e) => e.path));
    for (const [i, e] of expected.entries()) expect(measured[i], e.name).toEqual(e.built);
  });

  it('gives ResNet-18, DenseNet-121, GoogLeNet and VGG-16 as torchvision defines them PyTorch’s exact counts (1000 classes, 3×224×224)', async () => {
    const { stdout } = await runPython([pythonScript('reference_nets.py')]);
    const references = jsonLines<{ name: string; trainable: number; buffers: number }>(stdout);
    const ours = {
      resnet18: 'resnet18-torchvision',
      densenet121: 'densenet121',
      googlenet: 'googlenet-torchvision',
      vgg16: 'vgg16-torchvision',
    };
    expect(references.map((r) => r.name)).toEqual(Object.keys(ours));
    for (const r of references) {
      const template = findTemplate(ours[r.name as keyof typeof ours])!;
      const { trainable, nonTrainable } = inferShapes(template.build({ classes: 1000, channels: 3 })).totals
        .params;
      expect({ trainable, buffers: nonTrainable }, r.name).toEqual({
        trainable: r.trainable,
        buffers: r.buffers,
      });
    }
  });
});

/** Three classes of 12×12 images: a bright row band, a column band, or a corner; with noise. */
function bands(count: number, seed: number): Dataset['train'] {
  const rng = new SeededRandom(seed);
  const images = new Uint8Array(count * 144);
  const labels = Uint8Array.from({ length: count }, (_, n) => n % 3);
  for (let n = 0; n < count; n++)
    for (let i = 0; i < 12; i++)
      for (let j = 0; j < 12; j++) {
        const lit = [i >= 4 && i < 8, j >= 4 && j < 8, i < 4 && j < 4][labels[n]!];
        images[n * 144 + i * 12 + j] = (lit ? 170 : 0) + rng.int(80);
      }
  return { images, labels, count };
}

/** A small net with every kind whose weights or order need care: padded conv and pooling, BN, Dropout, a
 * Dense after a Flatten, Concat and Add. */
function mixedNet(): Graph {
  const b = new GraphBuilder();
  const x = b.chain(b.add('Input', { channels: 1, height: 12, width: 12 }), [
    ['Conv2D', { filters: 4, kernel: 3, padding: 1, activation: 'relu' }],
    ['BatchNorm', {}],
    ['MaxPool2D', { kernel: 3, stride: 2, padding: 1 }],
  ]);
  const a = b.add('Conv2D', { filters: 4, kernel: 2, padding: 'same' }, x);
  const c = b.add('AvgPool2D', { kernel: 3, stride: 1, padding: 1, countIncludePad: false }, x);
  const joined = b.add('Concat', { inputs: 2 }, [b.add('Add', { inputs: 2 }, [a, c]), x]);
  b.chain(joined, [
    ['Flatten'],
    ['Dense', { units: 16, activation: 'relu' }],
    ['Dropout', { rate: 0.2 }],
    ['BatchNorm', {}],
    ['Dense', { units: 3 }],
    ['Output'],
  ]);
  return b.graph();
}

describe('PyTorch export with trained weights', () => {
  it('gives PyTorch the logits tfjs gives, within 1e-4, after training (verify.py)', async () => {
    const graph = mixedNet();
    const compiled = compileGraph(graph);
    if (!compiled.ok) throw new Error(compiled.error.message);
    const data: Dataset = {
      name: 'bands',
      classes: ['rows', 'columns', 'corner'],
      shape: [1, 12, 12],
      train: bands(96, 1),
      test: bands(24, 2),
    };
    const recipe = trainConfigSchema.parse({
      epochs: 2,
      batchSize: 16,
      lr: 0.05,
      optimizer: { kind: 'sgd', momentum: 0.9 },
    });
    await trainModel(compiled.value, data, recipe);
    const project = pytorchProject({
      graph,
      name: 'mixed',
      recipe,
      trained: compiled.value,
    });
    compiled.value.model.dispose();
    if (!project.ok) throw new Error(project.error.message);
    const dir = mkdtempSync(join(tmpdir(), 'bw-verify-'));
    for (const [name, content] of Object.entries(project.value)) writeFileSync(join(dir, name), content);
    const { stdout } = await runPython(['verify.py'], { cwd: dir });
    const diff = Number(/max \|PyTorch - tfjs\| = (\S+)/.exec(stdout)?.[1]);
    expect(diff).toBeLessThanOrEqual(1e-4);
    // The check can fail: with the first Dense's inputs left in tfjs's order (H, W, C), the logits differ.
    const manifest = JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8')) as {
      name: string;
      shape: number[];
      offset: number;
    }[];
    const dense = manifest.find((e) => e.name === 'dense1.weight')!;
    const [units, features] = dense.shape as [number, number];
    const bin = readFileSync(join(dir, 'weights.bin'));
    const at = (i: number) => dense.offset + 4 * i;
    const torchOrder = Float32Array.from({ length: units * features }, (_, i) => bin.readFloatLE(at(i)));
    // Concat of Add (4 channels) and the pooled features (4): 8×6×6 flattened.
    const order = flattenOrder([8, 6, 6]);
    for (let u = 0; u < units; u++)
      for (let f = 0; f < features; f++)
        bin.writeFloatLE(torchOrder[u * features + order[f]!]!, at(u * features + f));
    writeFileSync(join(dir, 'weights.bin'), bin);
    await expect(runPython(['verify.py'], { cwd: dir })).rejects.toThrow(/failed/);
  });

  it('refuses, naming the node, a Flatten of an image straight into Output once trained', async () => {
    const b = new GraphBuilder();
    b.chain(b.add('Input', { channels: 2, height: 2, width: 1 }), [['Flatten'], ['Output']]);
    const graph = b.graph();
    const compiled = compileGraph(graph);
    if (!compiled.ok) throw new Error(compiled.error.message);
    const recipe = trainConfigSchema.parse({});
    const project = pytorchProject({ graph, name: 'x', recipe, trained: compiled.value });
    compiled.value.model.dispose();
    expect(project).toMatchObject({
      ok: false,
      error: { nodeId: 'output1', message: expect.stringMatching(/put a Dense layer before Output/) },
    });
  });
});

describe('PyTorch export: train.py', () => {
  it('trains 20 batches in one process and under torchrun with 2 processes (gloo), and its runs list in Blockwise', async () => {
    const project = pytorchProject({
      graph: findTemplate('lenet')!.build(),
      name: 'LeNet',
      recipe: trainConfigSchema.parse(findTemplate('lenet')!.recipe),
    });
    if (!project.ok) throw new Error(project.error.message);
    const work = mkdtempSync(join(tmpdir(), 'bw-train-'));
    const dir = join(work, 'LeNet.runs');
    mkdirSync(dir);
    for (const [name, content] of Object.entries(project.value)) writeFileSync(join(dir, name), content);
    const quick = ['--max-batches', '20', '--epochs', '1'];
    await runPython(['train.py', ...quick, '--out', 'one'], { cwd: dir });
    await runPython([...TORCHRUN_2, 'train.py', ...quick, '--out', 'two'], { cwd: dir });
    const one = JSON.parse(readFileSync(join(dir, 'one', 'run.json'), 'utf8'));
    const two = JSON.parse(readFileSync(join(dir, 'two', 'run.json'), 'utf8'));
    expect(one).toMatchObject({
      format: 'blockwise/run',
      backend: 'torch-cpu',
      config: { lr: 0.9, maxBatchesPerEpoch: 20 },
    });
    expect(two).toMatchObject({ backend: 'torch-cpu x2', dataset: { name: 'Fashion-MNIST', test: 10_000 } });
    // Evaluation is summed over both processes: the whole test set, once.
    expect(two.test.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(10_000);
    // The same seed and global batch: two processes train what one does.
    expect(two.epochs[0].trainLoss).toBeCloseTo(one.epochs[0].trainLoss, 4);
    const docs = new DocumentService(nodeFileSystem, { documents: work, data: join(work, '.data') });
    writeFileSync(join(work, 'LeNet.blockwise.json'), '{}');
    const runs = await docs.listRuns(join(work, 'LeNet.blockwise.json'), 'LeNet');
    expect(runs.map((r) => r.id).sort()).toEqual(['one', 'two']);
  }, 300_000);
});

describe('PyTorch export: train.py reads what Blockwise reads', () => {
  it('IDX labels past 256 classes (16- and 32-bit) and CSV labels past 255', async () => {
    const work = mkdtempSync(join(tmpdir(), 'bw-wide-'));
    const project = pytorchProject({ graph: mixedNet(), name: 'mixed', recipe: trainConfigSchema.parse({}) });
    if (!project.ok) throw new Error(project.error.message);
    for (const [name, content] of Object.entries(project.value)) writeFileSync(join(work, name), content);
    writeFileSync(join(work, 'wide'), encodeIdx([3], Uint16Array.from([0, 299, 1000])));
    writeFileSync(join(work, 'short'), Uint8Array.from([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x2b, 0x00, 0x07]));
    writeFileSync(join(work, 'train.csv'), '299,1,2,3,4\n3,5,6,7,8\n');
    const read = [
      'import train',
      'print(train.read_idx("wide").tolist(), train.read_idx("short").tolist())',
      'images, labels = train.load_csv("train.csv", "train.csv")[0]',
      'print(labels.tolist(), images.dtype, list(images.shape))',
    ].join('; ');
    const { stdout } = await runPython(['-c', read], { cwd: work });
    expect(stdout.trim().split('\n')).toEqual([
      '[0, 299, 1000] [299, 7]',
      '[299, 3] torch.uint8 [2, 1, 2, 2]',
    ]);
  });
});

describe('PyTorch export: the end of a distributed run', () => {
  it('train.py under torchrun with 2 processes exits, 20 runs in a row (1 in 3 hung at the end)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'bw-torchrun-'));
    const data = bandsDataset(work);
    const project = pytorchProject({
      graph: mixedNet(),
      name: 'mixed',
      recipe: trainConfigSchema.parse({ batchSize: 16, epochs: 1 }),
    });
    if (!project.ok) throw new Error(project.error.message);
    for (const [name, content] of Object.entries(project.value)) writeFileSync(join(work, name), content);
    // One at a time: a hang is killed with everything it started (its own process group) after 60 s.
    for (let i = 0; i < 20; i++) {
      await runPython([...TORCHRUN_2, 'train.py', '--data', `idx:${data}`, '--out', `run${i}`], {
        cwd: work,
        timeoutMs: 60_000,
      });
    }
    expect(JSON.parse(readFileSync(join(work, 'run19', 'run.json'), 'utf8'))).toMatchObject({
      backend: 'torch-cpu x2',
    });
  }, 1_500_000);
});

/** The bands as an IDX dataset folder in `work` (64 training and 24 test images). */
function bandsDataset(work: string): string {
  const data = join(work, 'bands');
  mkdirSync(data);
  for (const [images, labels, set] of [
    ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', bands(64, 1)],
    ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', bands(24, 2)],
  ] as const) {
    writeFileSync(join(data, images), encodeIdx([set.count, 12, 12], set.images));
    writeFileSync(join(data, labels), encodeIdx([set.count], set.labels));
  }
  return data;
}

describe('blockwise export --to pytorch, train --engine torch', () => {
  const cliIo = () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const io: CliIo = {
      out: (t) => void lines.push(t),
      err: (t) => void errors.push(t),
      progress: null,
      fs: nodeFileSystem,
    };
    return { io, lines, errors };
  };

  it('exports a run the CLI trained, whose verify.py passes, and a design without weights', async () => {
    const work = mkdtempSync(join(tmpdir(), 'bw-cli-export-'));
    const data = bandsDataset(work);
    const graph = join(work, 'mixed.blockwise.json');
    writeFileSync(graph, serializeGraphFile(graphFile(mixedNet(), 'mixed')));
    const run = join(work, 'run');
    const train = cliIo();
    const flags = [
      '--dataset',
      `idx:${data}`,
      '--epochs',
      '1',
      '--batch',
      '16',
      '--backend',
      'cpu',
      '--out',
      run,
    ];
    expect(await runCli(['train', graph, ...flags], train.io), train.errors.join('\n')).toBe(0);
    const exported = cliIo();
    const out = join(work, 'pytorch');
    expect(await runCli(['export', graph, '--to', 'pytorch', '--out', out, '--run', run], exported.io)).toBe(
      0,
    );
    expect(exported.lines.join('')).toMatch(
      /Wrote README\.md, model\.py, names\.json, network\.json, recipe\.json, train\.py, verify\.py, verify_inputs\.bin, verify_logits\.bin, weights\.bin, weights\.json/,
    );
    const { stdout } = await runPython(['verify.py'], { cwd: out });
    expect(stdout).toMatch(/max \|PyTorch - tfjs\| = \S+ over 4 inputs/);

    const design = cliIo();
    expect(
      await runCli(['export', 'template:vgg-mini', '--to', 'pytorch', '--out', join(work, 'vgg')], design.io),
    ).toBe(0);
    expect(readFileSync(join(work, 'vgg', 'model.py'), 'utf8')).toMatch(/class VGGBlock\(nn\.Module\)/);
    const noOut = cliIo();
    expect(await runCli(['export', 'template:vgg-mini', '--to', 'pytorch'], noOut.io)).toBe(2);
    expect(noOut.errors.join('')).toMatch(/needs --out DIR/);
  }, 300_000);

  it('trains with --engine torch: PyTorch runs the exported project, with the progress bar and a run record', async () => {
    const work = mkdtempSync(join(tmpdir(), 'bw-engine-'));
    const data = bandsDataset(work);
    const graph = join(work, 'mixed.blockwise.json');
    writeFileSync(graph, serializeGraphFile(graphFile(mixedNet(), 'mixed')));
    const progress: string[] = [];
    const run = cliIo();
    run.io.progress = (line) => void progress.push(line);
    const out = join(work, 'run');
    const flags = [
      '--engine',
      'torch',
      '--dataset',
      `idx:${data}`,
      '--epochs',
      '2',
      '--batch',
      '16',
      '--out',
      out,
    ];
    expect(await runCli(['train', graph, ...flags], run.io), run.errors.join('\n')).toBe(0);
    expect(progress.some((l) => /^epoch 2\/2 .* 4\/4 .*samples\/s/.test(l))).toBe(true);
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ backend: 'torch-cpu', dataset: { classes: ['0', '1', '2'], test: 24 } });
    expect(record.epochs).toHaveLength(2);
    expect(run.lines.join('\n')).toMatch(/Test accuracy \d\.\d{4} with PyTorch \(torch-cpu\)/);
    const missing = cliIo();
    process.env['BLOCKWISE_PYTHON'] = join(work, 'no-python');
    try {
      expect(await runCli(['train', graph, ...flags], missing.io)).toBe(1);
    } finally {
      delete process.env['BLOCKWISE_PYTHON'];
    }
    expect(missing.errors.join('')).toMatch(/PyTorch is not installed .*apt-get install python3-torch/);
  }, 300_000);
});
