import { tensor, transpose, type Tensor } from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesignFile } from '../../shared/blocks/design-file.ts';
import { compileGraph } from '../../shared/compile/compile-graph.ts';
import { decodeSavedWeights } from '../../shared/compile/tfjs-artifacts.ts';
import { pytorchModel } from '../../shared/export/pytorch/model-code.ts';
import { findTemplate } from '../../shared/templates/catalogue.ts';
import { transferWeights } from '../../shared/train/transfer.ts';
import { pythonScript, runPython } from '../export/python-runner.ts';
import { nodeFileSystem } from '../services/file-system.ts';
import { runCli } from './cli.ts';
import type { CliIo } from './command-kit.ts';

function io(): CliIo & { errors: string[] } {
  const errors: string[] = [];
  return { errors, out: () => {}, err: (t) => void errors.push(t), progress: null, fs: nodeFileSystem };
}

const floats = (path: string) => {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/** A CSV dataset of 3×32×32 noise images in 10 classes. */
function csvData(dir: string): string {
  let seed = 5;
  const pixel = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 256;
  for (const [split, count] of [
    ['train', 32],
    ['test', 10],
  ] as const) {
    const rows = Array.from({ length: count }, (_, i) =>
      [i % 10, ...Array.from({ length: 3072 }, pixel)].join(','),
    );
    writeFileSync(join(dir, `${split}.csv`), rows.join('\n') + '\n');
  }
  return `csv:${join(dir, 'train.csv')},${join(dir, 'test.csv')}@3x32x32`;
}

/** A run's logits on NCHW inputs: its graph compiled, its weights put in. */
function runLogits(run: string, inputs: Float32Array): Float32Array {
  const file = parseDesignFile(readFileSync(join(run, 'graph.blockwise.json'), 'utf8'));
  if (!file.ok) throw new Error(file.error.message);
  const compiled = compileGraph(file.value.graph);
  if (!compiled.ok) throw new Error(compiled.error.message);
  transferWeights(compiled.value, runFiles(run));
  const x = transpose(tensor(inputs, [2, 3, 32, 32]), [0, 2, 3, 1]);
  return (compiled.value.logitsModel.predict(x) as Tensor).dataSync() as Float32Array;
}

const runFiles = (run: string) => ({
  modelJson: readFileSync(join(run, 'model.json'), 'utf8'),
  weightsBin: new Uint8Array(readFileSync(join(run, 'weights.bin'))),
});

describe('import WEIGHTS.pth --graph G', () => {
  it('loads a torchvision state_dict by name (the reference’s logits), then trains on with only the head', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-pth-'));
    const graph = findTemplate('resnet18-torchvision')!.build({ classes: 10, channels: 3 });
    const code = pytorchModel(graph);
    if (!code.ok) throw new Error(code.error.message);
    writeFileSync(join(dir, 'model.py'), code.value.code);
    const check = ['check', 'resnet18', join(dir, 'model.py'), '10', '3', '32', '32', dir];
    await runPython([pythonScript('reference_nets.py'), ...check]);
    const data = ['--dataset', csvData(dir)];
    const run = join(dir, 'imported');
    const imported = io();
    const design = ['--graph', 'template:resnet18-torchvision', '--input', '3x32x32', '--classes', '10'];
    const args = ['import', join(dir, 'reference.pth'), ...design, '--run', run, ...data];
    expect(await runCli(args, imported), imported.errors.join('\n')).toBe(0);
    expect(imported.errors.at(-1)).toMatch(/Kept its weights as the run .*imported\/: test accuracy/);

    const expected = floats(join(dir, 'logits.bin'));
    const got = runLogits(run, floats(join(dir, 'inputs.bin')));
    const ofTolerance = Math.max(
      ...expected.map((e, i) => Math.abs(got[i]! - e) / (1e-5 + 1e-4 * Math.abs(e))),
    );
    expect(ofTolerance).toBeLessThanOrEqual(1);

    const tuned = join(dir, 'tuned');
    const train = io();
    const more = ['train', join(run, 'graph.blockwise.json'), '--start-from', run, '--freeze', 'features'];
    const short = ['--epochs', '1', '--max-batches', '2', '--batch', '8', '--out', tuned];
    expect(await runCli([...more, ...short, ...data], train), train.errors.join('\n')).toBe(0);
    const [before, after] = [decodeSavedWeights(runFiles(run)), decodeSavedWeights(runFiles(tuned))];
    const changed = Object.keys(before).filter((name) => {
      const [was, is] = [before[name]!.dataSync(), after[name]!.dataSync()];
      return was.some((v, k) => v !== is[k]);
    });
    // Only the head (the Dense before the Output) learned; BatchNorm's running statistics follow the batches
    // in training mode, frozen or not (as PyTorch's do).
    const learned = changed.filter((n) => !/moving_(mean|variance)$/.test(n));
    expect(learned.map((n) => n.split('/')[0])).toEqual(['dense1', 'dense1']);
  }, 180_000);

  it('refuses a file that is not a state_dict, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-pth-'));
    writeFileSync(join(dir, 'x.pth'), 'not a pickle');
    const m = io();
    expect(await runCli(['import', join(dir, 'x.pth'), '--graph', 'template:lenet'], m)).toBe(1);
    expect(m.errors.join('\n')).toMatch(
      /x\.pth: it is not a PyTorch state_dict that loads with weights_only=True/,
    );
  });
});
