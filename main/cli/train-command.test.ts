import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { encodeIdx } from '../../shared/data/idx.ts';
import { graphFile, parseGraphFile, serializeGraphFile, variantsOf } from '../../shared/graph/file-format.ts';
import { GraphBuilder } from '../../shared/graph/graph-builder.ts';
import { nodeFileSystem } from '../services/file-system.ts';
import { findTemplate } from '../../shared/templates/catalogue.ts';
import { trainConfigSchema } from '../../shared/train/train-config.ts';
import { runCli } from './cli.ts';
import type { CliIo } from './command-kit.ts';
import { configFromFlags } from './train-command.ts';
import { FLAG_FIELDS } from '../../shared/train/recipe-fields.ts';

function io(): CliIo & { out: (t: string) => void; lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: (t) => void lines.push(t),
    err: (t) => void errors.push(t),
    progress: null,
    fs: nodeFileSystem,
  };
}

/** A tiny 6×6 two-class IDX dataset (bright or dark images) and a graph that fits it. */
function fixture(): { dir: string; graph: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bw-train-'));
  const set = (n: number) => {
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 2);
    const images = Uint8Array.from(
      { length: n * 36 },
      (_, i) => (labels[Math.floor(i / 36)]! ? 200 : 30) + (i % 7),
    );
    return { images, labels };
  };
  const train = set(64);
  const test = set(16);
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), encodeIdx([64, 6, 6], train.images));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx([64], train.labels));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdx([16, 6, 6], test.images));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx([16], test.labels));
  const b = new GraphBuilder();
  b.chain(b.add('Input', { channels: 1, height: 6, width: 6 }), [
    ['Conv2D', { filters: 2, kernel: 3, activation: 'relu' }],
    ['Flatten'],
    ['Dense', { units: 2 }],
    ['Output'],
  ]);
  const graph = join(dir, 'tiny.blockwise.json');
  writeFileSync(graph, serializeGraphFile(graphFile(b.graph(), 'tiny')));
  return { dir, graph };
}

/** The flags of the small Adam run both tests of a run folder share. */
const adamRun = (graph: string, dir: string, epochs: number) => [
  'train',
  graph,
  '--dataset',
  `idx:${dir}`,
  '--epochs',
  String(epochs),
  '--batch',
  '16',
  '--lr',
  '0.05',
  '--optimizer',
  'adam',
  '--backend',
  'cpu',
];

const bin = fileURLToPath(new URL('./bin.mjs', import.meta.url));

describe('blockwise train and evaluate', () => {
  it('stops at Ctrl-C after the current batch, and saves what it trained', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bw-sigint-')), 'run');
    // Fashion-MNIST in batches of 8: many minutes, unless Ctrl-C is heard at once.
    const child = spawn(
      process.execPath,
      [bin, 'train', 'template:lenet', '--batch', '8', '--backend', 'wasm', '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    await vi.waitFor(() => expect(stderr).toMatch(/Training LeNet/), { timeout: 60_000, interval: 100 });
    await new Promise((r) => setTimeout(r, 1500));
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code, stderr).toBe(0);
    // The test split (10,000 images) is still evaluated after the stop; training itself stops at once.
    expect(Date.now() - sent).toBeLessThan(60_000);
    expect(stdout).toMatch(/stopped \(user\)/);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).stoppedBy).toBe('user');
  });

  it('prints one line, not a stack, for a failure after the backend started; and survives a closed pipe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-fail-'));
    // A run folder whose model.json is not JSON: the failure comes after wasm has started.
    mkdirSync(join(dir, 'run'));
    for (const f of ['model.json', 'weights.bin', 'run.json']) writeFileSync(join(dir, 'run', f), '{');
    const bad = spawnSync(process.execPath, [bin, 'evaluate', join(dir, 'run')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^blockwise: /);
    expect(bad.stderr.length).toBeLessThan(400);
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" dataset | head -c 10`], {
      encoding: 'utf8',
    });
    expect(piped.stdout).toHaveLength(10);
    expect(piped.stderr).toBe('');
  });

  it('trains, writes the run folder, and evaluates the saved weights', async () => {
    const { dir, graph } = fixture();
    const out = join(dir, 'run');
    const t = io();
    const code = await runCli([...adamRun(graph, dir, 2), '--schedule', 'cosine', '--out', out], t);
    expect(t.errors.filter((e) => e.startsWith('blockwise:'))).toEqual([]);
    expect(code).toBe(0);
    expect(t.lines.join('\n')).toMatch(/epoch\s+train loss[\s\S]*\n\s+2\s+\d\.\d{4}/);
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(record).toMatchObject({
      format: 'blockwise/run',
      backend: 'cpu',
      threads: 1,
      graph: { name: 'tiny' },
      config: { epochs: 2, optimizer: { kind: 'adam' }, schedule: { kind: 'cosine' } },
      stoppedBy: 'completed',
    });
    expect(record.graph.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(record.epochs).toHaveLength(2);
    expect(record.test.accuracy).toBeGreaterThan(0.9);

    const e = io();
    expect(await runCli(['evaluate', out, '--dataset', `idx:${dir}`, '--backend', 'cpu', '--json'], e)).toBe(
      0,
    );
    const evaluation = JSON.parse(e.lines.join('\n'));
    expect(evaluation.accuracy).toBe(record.test.accuracy);
    expect(evaluation.loss).toBeCloseTo(record.test.loss, 4);

    const resumed = io();
    expect(await runCli([...adamRun(graph, dir, 3), '--resume', out, '--json'], resumed)).toBe(0);
    expect(JSON.parse(resumed.lines.join('\n')).epochs).toHaveLength(3);
  });

  it('starts from a template’s recipe (LeNet: SGD at 0.9, Xavier, batch 256); a flag given wins', () => {
    const recipe = findTemplate('lenet')!.recipe;
    expect(configFromFlags({}, recipe)).toMatchObject({
      lr: 0.9,
      batchSize: 256,
      init: 'xavier',
      epochs: 10,
      optimizer: { kind: 'sgd' },
    });
    expect(configFromFlags({ lr: '0.1', batch: '64' }, recipe)).toMatchObject({
      lr: 0.1,
      batchSize: 64,
      init: 'xavier',
    });
    const vgg = findTemplate('vgg-mini')!.recipe;
    expect(configFromFlags({}, vgg).optimizer).toMatchObject({
      kind: 'sgd',
      momentum: 0.9,
      weightDecay: 5e-4,
    });
    // Another optimizer takes nothing of the recipe's SGD settings.
    expect(configFromFlags({ optimizer: 'adam' }, vgg).optimizer).toEqual(
      expect.objectContaining({ kind: 'adam', weightDecay: 0 }),
    );
    expect(configFromFlags({}).lr).toBe(trainConfigSchema.parse({}).lr);
  });

  it.each([
    [['--lr', '0'], /--lr: must be more than 0/],
    [['--lr', 'fast'], /--lr: "fast" is not a number/],
    [['--epochs', '2.5'], /--epochs: must be a whole number/],
    [['--optimizer', 'lion'], /--optimizer: must be one of sgd, adam, adamw, rmsprop/],
    [['--optimizer', 'adam', '--momentum', '0.9'], /--momentum: the adam optimizer has no momentum/],
    [['--augment', 'rotate'], /--augment: unknown "rotate"/],
    [['--backend', 'tpu'], /--backend: "tpu" is not auto, wasm or cpu/],
    [['--backend', 'webgl'], /--backend webgl: the command line has no WebGL; train on the GPU in the app/],
    [['--threads', '0'], /--threads: "0" is not a whole number from 1 to 64/],
    [['--dataset', 'cifar'], /--dataset: "cifar" is not fashion-mnist/],
  ])('refuses %j with the flag named', async (flags, message) => {
    const t = io();
    expect(await runCli(['train', 'template:lenet', ...flags], t)).toBe(2);
    expect(t.errors[0]).toMatch(message);
  });

  it('lists every recipe flag in train --help with its range and default, from the recipe table', async () => {
    const t = io();
    expect(await runCli(['train', '--help'], t)).toBe(0);
    const help = t.lines.join('\n');
    for (const f of FLAG_FIELDS) expect(help).toContain(`--${f.name}`);
    expect(help).toMatch(/--lr X {2,}Learning rate: > 0 to 100, default 0\.1/);
    expect(help).toMatch(/--schedule constant\|step\|exponential\|cosine\|one-cycle\n {42}Schedule/);
  });

  it('describes a dataset: sizes, classes per split, and a preview of each class', async () => {
    const { dir } = fixture();
    const j = io();
    expect(await runCli(['dataset', '--dataset', `idx:${dir}`, '--json'], j)).toBe(0);
    expect(JSON.parse(j.lines.join('\n'))).toMatchObject({
      shape: [1, 6, 6],
      classes: ['0', '1'],
      train: 64,
      test: 16,
      counts: { train: [32, 32], test: [8, 8] },
    });
    const text = io();
    expect(await runCli(['dataset', '--dataset', `idx:${dir}`], text)).toBe(0);
    expect(text.lines[1]).toBe('0 0 (32 train, 8 test)');
    expect(text.lines[2]!.split('\n')).toHaveLength(6);
  });

  it("trains a graph file with its document's recipe, else the app's default, and refuses a bad one by name", async () => {
    const { dir, graph } = fixture();
    const trainOnce = async (source: string, out: string) => {
      const t = io();
      const flags = ['--dataset', `idx:${dir}`, '--epochs', '1', '--max-batches', '1', '--backend', 'cpu'];
      const code = await runCli(['train', source, ...flags, '--out', join(dir, out), '--json'], t);
      return { code, t, record: code === 0 ? JSON.parse(t.lines.join('\n')) : null };
    };
    // No recipe in the file: Adam at 0.001 with batch 128, as the app and the exported train.py (was SGD at 0.1).
    expect((await trainOnce(graph, 'plain')).record.config).toMatchObject({
      lr: 0.001,
      batchSize: 128,
      optimizer: { kind: 'adam' },
    });
    const tiny = parseGraphFile(readFileSync(graph, 'utf8'));
    if (!tiny.ok) throw new Error(tiny.error.message);
    const withRecipe = (recipe: Record<string, unknown>, name: string) => {
      const path = join(dir, name);
      writeFileSync(path, serializeGraphFile(graphFile(tiny.value.graph, 'tiny', recipe)));
      return path;
    };
    const saved = withRecipe(
      { lr: 0.05, batchSize: 16, optimizer: { kind: 'sgd', momentum: 0.9 } },
      'r.json',
    );
    expect((await trainOnce(saved, 'saved')).record.config).toMatchObject({
      lr: 0.05,
      batchSize: 16,
      optimizer: { kind: 'sgd', momentum: 0.9 },
    });
    const bad = await trainOnce(withRecipe({ lr: 1000 }, 'bad.json'), 'bad');
    expect(bad.code).toBe(2);
    expect(bad.t.errors[0]).toMatch(/bad\.json: its recipe's lr: Too big.*Set it with its flag/);
  });

  it('checks the disk before training, and names the folder when a write finds it full', async () => {
    const { dir, graph } = fixture();
    const flags = ['--dataset', `idx:${dir}`, '--epochs', '1', '--backend', 'cpu'];
    const full = io();
    full.fs = { ...nodeFileSystem, freeBytes: async () => 1000 };
    const out = join(dir, 'runs', 'full');
    expect(await runCli(['train', graph, ...flags, '--out', out], full)).toBe(1);
    expect(full.errors.join('\n')).toMatch(
      /runs has 1000 B free; keeping this run needs about 1\.\d MiB\. Free some space there, or train with --out on another disk\./,
    );
    expect(full.errors.join('\n')).not.toMatch(/epoch 1/);
    // Full only at the write (another process filled it): the folder, and that the run was trained, are said.
    const late = io();
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    late.fs = { ...nodeFileSystem, replaceFolder: async () => Promise.reject(enospc) };
    expect(await runCli(['train', graph, ...flags, '--out', join(dir, 'late')], late)).toBe(1);
    expect(late.errors.at(-1)).toBe(
      `blockwise: ${join(dir, 'late')}: the disk is full; the run was trained but not kept. Free some space, then train again.`,
    );
  });

  it('says what to change when the data does not fit the network', async () => {
    const { dir } = fixture();
    const t = io();
    expect(
      await runCli(
        ['train', 'template:lenet', '--dataset', `idx:${dir}`, '--backend', 'cpu', '--out', join(dir, 'x')],
        t,
      ),
    ).toBe(1);
    expect(t.errors.at(-1)).toMatch(/wants 28×28 images, the dataset gives 6×6\. Set resize to 28/);
  });
});

describe('blockwise sweep and compare --train', () => {
  it('sweeps a parameter into a document of variants, trains each with one recipe, and charts them', async () => {
    const { dir, graph } = fixture();
    const doc = join(dir, 'swept', 'filters.blockwise.json');
    const s = io();
    expect(await runCli(['sweep', graph, '--param', 'conv2d1.filters=1,4', '--out', doc], s)).toBe(0);
    expect(s.lines.join('\n')).toMatch(/conv2d1\.filters=1 .*\n.*conv2d1\.filters=4/);
    const parsed = parseGraphFile(readFileSync(doc, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(variantsOf(parsed.value).variants.map((v) => v.name)).toEqual([
      'conv2d1.filters=1',
      'conv2d1.filters=4',
    ]);

    const c = io();
    const runs = join(dir, 'runs');
    const chart = join(dir, 'chart.svg');
    const flags = ['--dataset', `idx:${dir}`, '--backend', 'cpu', '--epochs', '1', '--lr', '0.05'];
    const args = ['compare', graph, doc, '--train', ...flags, '--runs', runs, '--chart', chart, '--json'];
    expect(await runCli(args, c)).toBe(0);
    const { rows } = JSON.parse(c.lines.join('')) as { rows: Record<string, unknown>[] };
    expect(rows.map((r) => r['name'])).toEqual([graph, 'conv2d1.filters=1', 'conv2d1.filters=4']);
    for (const r of rows) {
      expect(r['epochs']).toBe(1);
      expect(r['testAccuracy']).toBeGreaterThanOrEqual(0);
      expect(r['inferenceSamplesPerSec']).toBeGreaterThan(0);
    }
    // The one-filter variant has fewer weights than the file itself (two filters).
    expect(Number(rows[1]!['trainable'])).toBeLessThan(Number(rows[0]!['trainable']));
    // Each run is kept, and the chart has a circle for each.
    expect(readdirSync(runs).length).toBe(3);
    expect(readFileSync(chart, 'utf8').match(/<circle /g)).toHaveLength(3);
  }, 60_000);

  it('sweeps the number of layers in series: repeat, each variant laid out again', async () => {
    const { dir, graph } = fixture();
    const doc = join(dir, 'repeat.blockwise.json');
    const r = io();
    expect(await runCli(['sweep', graph, '--param', 'conv2d1.repeat=0,2', '--out', doc], r)).toBe(0);
    const parsed = parseGraphFile(readFileSync(doc, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const [none, two] = variantsOf(parsed.value).variants.map((v) => v.graph);
    const convs = (g: typeof none) => g!.nodes.filter((n) => n.type === 'Conv2D');
    expect([convs(none).length, convs(two).length]).toEqual([0, 2]);
    // The copy does not stand on the conv it repeats.
    const [first, copy] = convs(two);
    expect(copy!.position).not.toEqual(first!.position);
  });

  it('says which node or parameter a sweep names wrongly, and that a chart needs training', async () => {
    const { graph } = fixture();
    const bad = io();
    expect(await runCli(['sweep', graph, '--param', 'conv9.filters=1,2'], bad)).toBe(1);
    expect(bad.errors.join('')).toMatch(/no node "conv9"; the nodes are input1, conv2d1/);
    const chart = io();
    expect(await runCli(['compare', graph, graph, '--chart', 'x.svg'], chart)).toBe(2);
    expect(chart.errors.join('')).toMatch(/--chart plots accuracy, which needs --train/);
  });
});

describe('blockwise import with weights', () => {
  it("keeps a tfjs model's weights as a tested run of no epochs, which trains on with --resume", async () => {
    const { dir, graph } = fixture();
    const trained = join(dir, 'trained');
    expect(await runCli([...adamRun(graph, dir, 2), '--out', trained], io())).toBe(0);
    const imported = join(dir, 'imported');
    const i = io();
    const data = ['--dataset', `idx:${dir}`, '--backend', 'cpu'];
    const args = ['import', join(trained, 'model.json'), '--out', join(dir, 'g.json'), '--run', imported];
    expect(await runCli([...args, ...data], i), i.errors.join('\n')).toBe(0);
    expect(i.errors.at(-1)).toMatch(/Kept its weights as the run .*imported\/: test accuracy/);
    const read = (run: string) => JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as RunJson;
    const [before, after] = [read(trained), read(imported)];
    // The same weights on the same test split: the same loss, to float precision.
    expect(after).toMatchObject({ importedFrom: 'model.json', epochs: [], config: { epochs: 0 } });
    expect(after.test.loss).toBeCloseTo(before.test.loss, 5);
    expect(after.test.accuracy).toBe(before.test.accuracy);
    const resumed = io();
    const more = ['train', join(imported, 'graph.blockwise.json'), '--resume', imported, '--epochs', '1'];
    expect(await runCli([...more, ...data], resumed), resumed.errors.join('\n')).toBe(0);
    expect(read(imported).epochs).toHaveLength(1);
  }, 60_000);

  it('refuses weight files outside the model folder, says when they are missing, and writes the graph', async () => {
    const { dir, graph } = fixture();
    const trained = join(dir, 'trained');
    expect(await runCli([...adamRun(graph, dir, 1), '--out', trained, '--max-batches', '1'], io())).toBe(0);
    const model = JSON.parse(readFileSync(join(trained, 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    const outside = /weight file "\.\.\/trained\/weights\.bin" is not a file name beside model\.json/;
    const cases: [string, number, RegExp][] = [
      ['../trained/weights.bin', 1, outside],
      ['gone.bin', 0, /Imported without weights: gone\.bin is not beside edited\.json/],
    ];
    for (const [path, code, message] of cases) {
      model.weightsManifest[0]!.paths = [path];
      const edited = join(dir, 'edited.json');
      writeFileSync(edited, JSON.stringify(model));
      const e = io();
      const out = join(dir, 'edited.blockwise.json');
      expect(await runCli(['import', edited, '--out', out, '--dataset', `idx:${dir}`], e)).toBe(code);
      expect(e.errors.join('\n')).toMatch(message);
      expect(parseGraphFile(readFileSync(out, 'utf8')).ok).toBe(true);
    }
  }, 60_000);
});

interface RunJson {
  importedFrom?: string;
  epochs: unknown[];
  test: { loss: number; accuracy: number };
}
