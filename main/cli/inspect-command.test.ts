import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../services/file-system.ts';
import { runCli } from './cli.ts';
import type { CliIo } from './command-kit.ts';

/** The real file system, with what the CLI prints kept. */
function capturedIo() {
  const printed = { out: [] as string[], err: [] as string[] };
  const io: CliIo = {
    out: (t) => void printed.out.push(t),
    err: (t) => void printed.err.push(t),
    progress: null,
    fs: nodeFileSystem,
  };
  return { io, printed };
}

const work = mkdtempSync(join(tmpdir(), 'bw-inspect-'));
const cpu = ['--backend', 'cpu'];

describe('blockwise explain', () => {
  it('writes Grad-CAM over the test image and prints the top classes', async () => {
    const { io, printed } = capturedIo();
    const out = join(work, 'cam.png');
    expect(
      await runCli(['explain', 'template:resnet-mini', '--image', '5', '--out', out, '--json', ...cpu], io),
    ).toBe(0);
    const said = JSON.parse(printed.out.join('\n')) as {
      layer: string;
      top: { probability: number }[];
      label: number;
    };
    expect(said.layer).toBe('residual3/activation2');
    expect(said.top).toHaveLength(3);
    expect(said.top[0]!.probability).toBeGreaterThanOrEqual(said.top[2]!.probability);
    const png = decode(readFileSync(out));
    expect([png.width, png.height]).toEqual([28 * 8, 28 * 8]);
  });

  it('refuses, in one line, an image past the test set, a class past the network’s, and a layer the network reads around', async () => {
    const cases: [string[], RegExp][] = [
      [['--image', '10000'], /--image must be a whole number from 0 to 9999, not "10000"/],
      [['--image', '1', '--class', '10'], /--class must be a whole number from 0 to 9/],
      [['--image', '1', '--layer', 'residual2/batchnorm2'], /reads around it/],
    ];
    for (const [flags, said] of cases) {
      const { io, printed } = capturedIo();
      const args = ['explain', 'template:resnet-mini', '--out', join(work, 'x.png'), ...flags, ...cpu];
      expect(await runCli(args, io)).toBe(2);
      expect(printed.err.join('\n')).toMatch(said);
    }
    const { io, printed } = capturedIo();
    expect(await runCli(['explain', 'template:lenet', '--image', '1', ...cpu], io)).toBe(2);
    expect(printed.err.join('\n')).toMatch(/--out is required/);
  });
});

describe('blockwise inspect', () => {
  it('writes each spatial layer’s feature maps, the first convolution’s filters and every layer’s statistics', async () => {
    const { io } = capturedIo();
    const out = join(work, 'maps');
    expect(await runCli(['inspect', 'template:lenet', '--image', '0', '--out', out, ...cpu], io)).toBe(0);
    const { layers } = JSON.parse(readFileSync(join(out, 'layers.json'), 'utf8')) as {
      layers: { layer: string; shape: number[]; min: number; max: number; zeros: number }[];
    };
    const conv = layers.find((l) => l.layer === 'conv2d1')!;
    expect(conv.shape).toEqual([28, 28, 6]);
    expect(conv.max).toBeGreaterThan(conv.min);
    expect(layers.at(-1)!.shape).toEqual([10]);
    const pictures = readdirSync(out).filter((f) => f.endsWith('.png'));
    expect(pictures).toContain('conv2d1.png');
    expect(pictures).toContain('conv2d1.filters.png');
    // Six 28×28 maps, enlarged to 56×56 tiles with a one-pixel gap, in one row.
    const grid = decode(readFileSync(join(out, 'conv2d1.png')));
    expect([grid.width, grid.height]).toEqual([6 * 57 - 1, 56]);
  });

  it('names a layer it does not have', async () => {
    const { io, printed } = capturedIo();
    const args = [
      'inspect',
      'template:lenet',
      '--image',
      '0',
      '--layers',
      'conv9',
      '--out',
      join(work, 'm2'),
      ...cpu,
    ];
    expect(await runCli(args, io)).toBe(2);
    expect(printed.err.join('\n')).toMatch(/no layer "conv9"/);
  });
});
