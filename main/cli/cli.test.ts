import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { setBackend } from '@tensorflow/tfjs-core';
import { compileGraph } from '../../shared/compile/compile-graph.ts';
import { modelToFiles } from '../../shared/compile/tfjs-artifacts.ts';
import {
  parseGraphFile,
  serializeGraphFile,
  graphFile,
  type GraphFile,
} from '../../shared/graph/file-format.ts';
import { GraphBuilder } from '../../shared/graph/graph-builder.ts';
import { templates } from '../../shared/templates/catalogue.ts';
import { inferShapes } from '../../shared/shapes/infer-shapes.ts';
import { formatCount } from '../../shared/shapes/quantity-format.ts';
import { runCli } from './cli.ts';
import { nodeFileSystem } from '../services/file-system.ts';

function memoryIo(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    files,
    io: {
      out: (t: string) => void out.push(t),
      err: (t: string) => void err.push(t),
      progress: null,
      fs: {
        ...nodeFileSystem,
        readText: async (p: string) => {
          if (p in files) return files[p]!;
          throw Object.assign(new Error('nope'), { code: 'ENOENT' });
        },
        writeBytes: async (p: string, t: Uint8Array | string) => void (files[p] = String(t)),
      },
    },
  };
}

function brokenGraphFile(): string {
  const b = new GraphBuilder();
  b.chain(b.add('Input'), [['Dense', { units: 10 }], ['Output']]);
  return serializeGraphFile(graphFile(b.graph(), 'broken'));
}

describe('blockwise CLI', () => {
  it('lists the templates with their parameter counts', async () => {
    const m = memoryIo();
    expect(await runCli(['templates'], m.io)).toBe(0);
    expect(m.out.join('\n')).toMatch(/lenet\s+1×28×28\s+61,706\s+0 {2}/);
    // ResNet-18 as PyTorch prints it: 11,178,378 parameters apart from its BatchNorm buffers.
    const resnet18 = inferShapes(templates.find((t) => t.id === 'resnet18')!.build()).totals.params;
    expect(m.out.join('\n')).toMatch(
      new RegExp(
        `resnet18\\s+\\S+\\s+${formatCount(resnet18.trainable)}\\s+${formatCount(resnet18.nonTrainable)}  `,
      ),
    );
    expect(m.out).toHaveLength(templates.length + 1);
  });

  it('builds templates for the classes and channels asked: torchvision’s VGG-16 and DenseNet-121 counts', async () => {
    const m = memoryIo();
    expect(await runCli(['templates', '--classes', '1000', '--channels', '3'], m.io)).toBe(0);
    const text = m.out.join('\n');
    // PyTorch's counts for torchvision.models.vgg16() and densenet121() (parameters, then BN buffers
    // without num_batches_tracked).
    expect(text).toMatch(/vgg16\s+3×224×224\s+138,357,544\s+0 /);
    expect(text).toMatch(/densenet121\s+3×224×224\s+7,978,856\s+83,648 /);
    const summary = memoryIo();
    expect(await runCli(['summary', 'template:lenet', '--classes', '3', '--json'], summary.io)).toBe(0);
    expect(JSON.parse(summary.out.join('')).rows.at(-1)).toMatchObject({ outputs: [[3]] });
    const file = memoryIo();
    expect(await runCli(['summary', 'net.json', '--classes', '3'], file.io)).toBe(1);
    expect(file.err.join('')).toMatch(/--classes and --channels build templates/);
    const bad = memoryIo();
    expect(await runCli(['templates', '--classes', 'ten'], bad.io)).toBe(2);
    expect(bad.err.join('')).toMatch(/--classes must be a whole number from 1 to 100000, not "ten"/);
  });

  it('compares designs: the static figures of the summary, differences only, JSON and CSV', async () => {
    const m = memoryIo();
    expect(
      await runCli(['compare', 'template:vgg-mini', 'template:resnet-mini', '--json', '--batch', '8'], m.io),
    ).toBe(0);
    const { rows, batch } = JSON.parse(m.out.join(''));
    const resnet = inferShapes(templates.find((t) => t.id === 'resnet-mini')!.build()).totals;
    expect(batch).toBe(8);
    expect(rows[1]).toEqual({
      name: 'template:resnet-mini',
      trainable: resnet.params.trainable,
      nonTrainable: resnet.params.nonTrainable,
      flops: resnet.flops,
      activationBytes: 8 * resnet.memoryBytes,
      weightBytes: 4 * (resnet.params.trainable + resnet.params.nonTrainable),
    });
    const csv = join(mkdtempSync(join(tmpdir(), 'bw-compare-')), 'out', 'compare.csv');
    const d = memoryIo();
    const args = ['compare', 'template:vgg11', 'template:vgg16', '--differences', '--csv', csv];
    expect(await runCli(args, { ...d.io, fs: nodeFileSystem })).toBe(0);
    expect(d.out[0]!.split('\n')[0]).toMatch(
      /^\s*variant\s+trainable\s+FLOPs\/sample\s+activations\s+weights$/,
    );
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toBe('name,trainable,flops,activationBytes,weightBytes');
    const one = memoryIo();
    expect(await runCli(['compare', 'template:lenet'], one.io)).toBe(2);
    expect(one.err.join('')).toMatch(/compare needs two or more/);
    const broken = memoryIo({ 'broken.json': brokenGraphFile() });
    expect(await runCli(['compare', 'template:lenet', 'broken.json'], broken.io)).toBe(1);
    expect(broken.err.join('')).toMatch(/^blockwise: broken\.json: /);
  });

  it('diffs two designs: the changed block parameters, the wires, each side’s totals', async () => {
    const m = memoryIo();
    expect(await runCli(['diff', 'template:vgg11', 'template:vgg16'], m.io)).toBe(0);
    const text = m.out.join('\n');
    expect(text).toMatch(/^changed {2}vgg1: numConvs 1 → 2$/m);
    expect(text).toMatch(/^changed {2}vgg5: numConvs 2 → 3$/m);
    expect(text).toMatch(/^wires {4}\+0 −0$/m);
    expect(text).toMatch(/^totals {3}trainable 128,806,154 → 134,300,362, FLOPs /m);
    const json = memoryIo();
    expect(await runCli(['diff', 'template:lenet', 'template:lenet', '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out.join(''))).toMatchObject({ added: [], removed: [], changed: [] });
    const one = memoryIo();
    expect(await runCli(['diff', 'template:lenet'], one.io)).toBe(2);
    expect(one.err.join('')).toMatch(/diff needs two/);
  });

  it('imports a tfjs model.json as a laid-out graph file with the same counts, and names a layer it cannot read', async () => {
    await setBackend('cpu');
    const graph = templates.find((t) => t.id === 'resnet-mini')!.build();
    const compiled = compileGraph(graph);
    if (!compiled.ok) throw new Error(compiled.error.message);
    const { modelJson } = await modelToFiles(compiled.value.model);
    const out = join(mkdtempSync(join(tmpdir(), 'bw-import-')), 'nested', 'resnet.blockwise.json');
    const m = memoryIo({ 'model.json': modelJson });
    expect(await runCli(['import', 'model.json', '--out', out], m.io)).toBe(0);
    // Says what was read and where it went (it said "Imported 30 nodes of blockwise").
    expect(m.err[0]).toMatch(
      /^Imported model\.json \(the model "\w+", \d+ nodes\) as .*resnet\.blockwise\.json\.$/,
    );
    expect(m.err.at(-1)).toBe('Imported without weights: weights.bin is not beside model.json.');
    const file = parseGraphFile(m.files[out]!);
    if (!file.ok) throw new Error(file.error.message);
    expect(inferShapes(file.value.graph).totals.params).toEqual(inferShapes(graph).totals.params);
    // Laid out, not a single column.
    expect(new Set(file.value.graph.nodes.map((n) => n.position.x)).size).toBeGreaterThan(1);
    const bad = memoryIo({ 'm.json': modelJson.replace('"GlobalAveragePooling2D"', '"GlobalMaxPooling2D"') });
    expect(await runCli(['import', 'm.json'], bad.io)).toBe(1);
    expect(bad.err.join('')).toMatch(
      /^blockwise: m\.json: layer "\w+" is a GlobalMaxPooling2D, which Blockwise has no node for$/,
    );
  });

  it('summary prints the Keras-style table with totals', async () => {
    const m = memoryIo();
    expect(await runCli(['summary', 'template:lenet'], m.io)).toBe(0);
    const text = m.out.join('\n');
    expect(text).toMatch(/conv2d1\s+Conv2D\s+6×28×28\s+156/);
    expect(text).toMatch(/Trainable params: 61,706/);
    expect(text).toMatch(/Non-trainable params: 0/);
  });

  it('summary --input changes the input, --hwc the display order, --json gives data', async () => {
    const m = memoryIo();
    expect(await runCli(['summary', 'template:vgg11', '--input', '3x256x256', '--json'], m.io)).toBe(0);
    const data = JSON.parse(m.out.join('\n')) as { rows: { id: string; outputs: number[][] }[] };
    expect(data.rows.find((r) => r.id === 'vgg5')!.outputs).toEqual([[512, 8, 8]]);
    const hwc = memoryIo();
    await runCli(['summary', 'template:lenet', '--hwc'], hwc.io);
    expect(hwc.out.join('\n')).toMatch(/conv2d1\s+Conv2D\s+28×28×6/);
  });

  it('summary --receptive-field adds what each node sees, per layer with --expand, and its notes', async () => {
    const m = memoryIo();
    expect(await runCli(['summary', 'template:resnet18', '--receptive-field'], m.io)).toBe(0);
    const text = m.out.join('\n');
    expect(text).toMatch(/Receptive field\s+Jump\s+Start/);
    expect(text).toMatch(/residual8\s+Residual\s+512×3×3\s+[\d,]+\s+[\d.]+M\s+435×435\s+32\s+0/);
    expect(text).toMatch(/dense1\s+Dense.*whole input/);
    expect(text).toMatch(/^warning: residual4: The receptive field covers the whole 96×96 input here/m);
    const expanded = memoryIo();
    await runCli(['summary', 'template:vgg11', '--expand', '--receptive-field', '--json'], expanded.io);
    const rows = (JSON.parse(expanded.out.join('')) as { rows: { id: string; receptiveField: unknown }[] })
      .rows;
    expect(rows.find((r) => r.id === 'vgg5/maxpool2d1')!.receptiveField).toEqual({
      kind: 'window',
      size: [150, 150],
      jump: [32, 32],
      start: [15.5, 15.5],
    });
    const plain = memoryIo();
    await runCli(['summary', 'template:lenet'], plain.io);
    expect(plain.out.join('\n')).not.toMatch(/Receptive field/);
    expect(await runCli(['validate', 'template:lenet', '--receptive-field'], memoryIo().io)).toBe(2);
  });

  it('summary --train-memory adds what training holds per node at the batch and optimizer asked', async () => {
    const run = async (...flags: string[]) => {
      const m = memoryIo();
      const args = ['summary', 'template:lenet', '--train-memory', '--json', ...flags];
      expect(await runCli(args, m.io)).toBe(0);
      return JSON.parse(m.out.join('')) as {
        rows: { id: string; params: number; training: Record<string, number> }[];
        training: Record<string, number>;
      };
    };
    const adam = await run('--batch', '32', '--optimizer', 'adam');
    const conv = adam.rows.find((r) => r.id === 'conv2d1')!;
    // 156 weights: 624 bytes each for the weights and the gradients, twice that for Adam's two moments.
    expect(conv.training).toEqual({
      weights: 624,
      gradients: 624,
      optimizerState: 1248,
      activations: 32 * 6 * 28 * 28 * 4,
    });
    const { weights, gradients, optimizerState, activations, peak } = adam.training;
    expect(peak).toBe(weights! + gradients! + optimizerState! + 2 * activations!);
    // Plain SGD keeps no state; LeNet's own recipe (batch 256) sets the batch when none is given.
    const sgd = await run('--optimizer', 'sgd', '--momentum', '0');
    expect(sgd.training).toMatchObject({ optimizerState: 0, batch: 256 });
    const text = memoryIo();
    await runCli(['summary', 'template:lenet', '--train-memory'], text.io);
    expect(text.out.join('\n')).toMatch(/Weights\s+Gradients\s+Optimizer\s+Activations/);
    expect(text.out.join('\n')).toMatch(/Training memory at batch 256: about [\d.]+ MiB at the peak/);
  });

  it('summary --expand lists the layers inside blocks', async () => {
    const m = memoryIo();
    await runCli(['summary', 'template:vgg-mini', '--expand'], m.io);
    expect(m.out.join('\n')).toMatch(/vgg1\/conv2d1\s+Conv2D\s+16×28×28/);
  });

  it('validate exits 0 on a sound graph and 1 with the diagnostics on a broken one', async () => {
    const ok = memoryIo();
    expect(await runCli(['validate', 'template:resnet-mini'], ok.io)).toBe(0);
    const bad = memoryIo({ 'bad.json': brokenGraphFile() });
    expect(await runCli(['validate', 'bad.json'], bad.io)).toBe(1);
    expect(bad.out.join('\n')).toMatch(/error: dense1\.in: Dense expects a flat vector .* Insert a Flatten/);
  });

  it('validate checks every variant of a document, naming the broken one', async () => {
    const lenet = graphFile(templates.find((t) => t.id === 'lenet')!.build(), 'designs');
    const broken = JSON.parse(brokenGraphFile()) as GraphFile;
    const file: GraphFile = { ...lenet, variants: [{ name: 'wide head', graph: broken.graph }] };
    const m = memoryIo({ 'designs.json': serializeGraphFile(file) });
    expect(await runCli(['validate', 'designs.json'], m.io)).toBe(1);
    const text = m.out.join('\n');
    expect(text).toMatch(/designs · designs: no problems/);
    expect(text).toMatch(/designs · wide head:\nerror: dense1\.in: Dense expects a flat vector/);
    const json = memoryIo({ 'designs.json': serializeGraphFile(file) });
    expect(await runCli(['validate', 'designs.json', '--json'], json.io)).toBe(1);
    const report = JSON.parse(json.out.join('\n')) as {
      ok: boolean;
      variants: { name: string; ok: boolean }[];
    };
    expect(report.ok).toBe(false);
    expect(report.variants.map((v) => [v.name, v.ok])).toEqual([
      ['designs', true],
      ['wide head', false],
    ]);
  });

  it('validate prints a problem that recurs at many nodes three times, then counts the rest', async () => {
    const b = new GraphBuilder();
    const input = b.add('Input', { channels: 1, height: 4, width: 4 });
    b.chain(input, [['Flatten'], ['Dense', { units: 2 }], ['Output']]);
    // Fifty layers whose outputs go nowhere: the same warning at fifty nodes.
    for (let i = 0; i < 50; i++) b.add('Activation', { fn: 'relu' }, input);
    const text = serializeGraphFile(graphFile(b.graph(), 'many'));
    const m = memoryIo({ 'many.json': text });
    expect(await runCli(['validate', 'many.json'], m.io)).toBe(0);
    expect(m.out).toHaveLength(4);
    expect(m.out[3]).toMatch(
      /^… and 47 more of "The output of this layer is not used\. .*" at other nodes \(--json lists them all\)$/,
    );
    const json = memoryIo({ 'many.json': text });
    expect(await runCli(['validate', 'many.json', '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out.join('')).diagnostics).toHaveLength(50);
  });

  it('export writes a graph file that reads back', async () => {
    const m = memoryIo();
    expect(await runCli(['export', 'template:nin', '--to', 'json', '--out', 'nin.json'], m.io)).toBe(0);
    const again = memoryIo({ 'nin.json': m.files['nin.json']! });
    expect(await runCli(['validate', 'nin.json'], again.io)).toBe(0);
  });

  it('export of a design with problems writes it and says what is wrong, exiting 1 (it exited 0 in silence)', async () => {
    for (const to of ['json', 'svg']) {
      const m = memoryIo({ 'broken.json': brokenGraphFile() });
      expect(await runCli(['export', 'broken.json', '--to', to, '--out', `out.${to}`], m.io)).toBe(1);
      expect(m.files[`out.${to}`]).toBeTruthy();
      expect(m.err[0]).toBe('broken:');
      expect(m.err[1]).toMatch(/^error: dense1\.in: Dense expects a flat vector/);
    }
  });

  it('export --to svg draws every node and edge, laid out, with the shapes on the edges', async () => {
    const m = memoryIo();
    expect(await runCli(['export', 'template:vgg11', '--to', 'svg', '--out', 'vgg.svg'], m.io)).toBe(0);
    const svg = m.files['vgg.svg']!;
    const vgg11 = templates.find((t) => t.id === 'vgg11')!.build();
    expect(svg.match(/<rect class="node"/g)).toHaveLength(vgg11.nodes.length);
    expect(svg.match(/<path class="edge"/g)).toHaveLength(vgg11.edges.length);
    expect(svg).toContain('>512×7×7</text>');
    // Laid out (wrapped into columns): no two boxes on one spot.
    const spots = [...svg.matchAll(/<rect class="node" x="([-\d.]+)" y="([-\d.]+)"/g)].map(
      (r) => `${r[1]},${r[2]}`,
    );
    expect(new Set(spots).size).toBe(vgg11.nodes.length);
  });

  it.each([
    [['validate', 'missing.json'], 1, /blockwise: missing\.json: no such file/],
    [['validate', 'notjson.json'], 1, /blockwise: notjson\.json: This is not JSON/],
    [['validate', 'future.json'], 1, /newer Blockwise \(format 7; this one reads up to 2\)/],
    [['summary', 'template:nope'], 1, /no template "nope" \(try: lenet/],
    [['summary', 'template:lenet', '--input', '3x0x5'], 2, /--input must look like 3x224x224/],
    [['frobnicate'], 2, /unknown command "frobnicate"/],
    [['export', 'template:lenet', '--to', 'onnx'], 2, /export needs --to json, svg, pytorch or keras/],
    [['summary', 'template:lenet', '--bogus'], 2, /Unknown option '--bogus'/],
    // An option of another command was silently accepted, and did nothing.
    [
      ['validate', 'template:lenet', '--epochs', '3', '--engine', 'torch'],
      2,
      /^blockwise: validate does not take --epochs, --engine; its options: --classes, --channels, --input, --json$/m,
    ],
    [['diff', 'template:lenet', 'template:nin', '--train'], 2, /diff does not take --train; its options: /],
    [['dataset', '--out', 'x'], 2, /dataset does not take --out; its options: --dataset, --json$/m],
  ])('%j fails with a one-line reason', async (argv, code, message) => {
    const m = memoryIo({
      'notjson.json': '{',
      'future.json': '{"format":"blockwise/graph","formatVersion":7}',
    });
    expect(await runCli(argv, m.io)).toBe(code);
    expect(m.err[0]).toMatch(message);
  });
});

describe('the blockwise bin', () => {
  it('runs as a process: output on stdout, errors on stderr, exit codes, no tfjs banner', () => {
    const bin = fileURLToPath(new URL('./bin.mjs', import.meta.url));
    const ok = spawnSync(process.execPath, [bin, 'summary', 'template:lenet'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/Total params: 61,706/);
    expect(ok.stdout + ok.stderr).not.toMatch(/Hi, looks like/);
    const bad = spawnSync(process.execPath, [bin, 'validate', 'no/such/file.json'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('blockwise: no/such/file.json: no such file');
    const out = join(mkdtempSync(join(tmpdir(), 'bw-export-')), 'new', 'folder', 'lenet.json');
    const exported = spawnSync(
      process.execPath,
      [bin, 'export', 'template:lenet', '--to', 'json', '--out', out],
      {
        encoding: 'utf8',
      },
    );
    expect(exported.stderr).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).meta.name).toBe('LeNet');
  });
});
