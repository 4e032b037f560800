import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encode as encodePng } from 'fast-png';
import { encodeIdx } from '../../shared/data/idx.ts';
import { DatasetCatalogue, FASHION_MNIST_DIR, parseDatasetSpec } from './dataset-catalogue.ts';
import { nodeFileSystem } from './file-system.ts';

const catalogue = new DatasetCatalogue(nodeFileSystem);

describe('DatasetCatalogue', () => {
  it(`finds Fashion-MNIST in ${FASHION_MNIST_DIR} without configuration`, async () => {
    const r = await catalogue.load({ kind: 'fashion-mnist' });
    if (!r.ok) throw new Error(r.error.message);
    const d = r.value;
    expect([d.train.count, d.test.count, d.shape]).toEqual([60_000, 10_000, [1, 28, 28]]);
    expect(d.classes).toHaveLength(10);
    // Fashion-MNIST is balanced: 6,000 training images per class.
    const perClass = new Array(10).fill(0);
    for (const l of d.train.labels) perClass[l]++;
    expect(perClass).toEqual(new Array(10).fill(6000));
  });

  it('says how to install Fashion-MNIST when it is missing', async () => {
    const r = await new DatasetCatalogue(nodeFileSystem, '/nonexistent').load({ kind: 'fashion-mnist' });
    expect(r).toMatchObject({
      ok: false,
      error: { kind: 'notFound', message: expect.stringMatching(/apt-get install dataset-fashion-mnist/) },
    });
  });

  it('reads a user IDX folder, and names the bad file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-idx-'));
    const write = (name: string, data: Uint8Array) => writeFileSync(join(dir, name), data);
    write('train-images-idx3-ubyte', encodeIdx([4, 3, 3], new Uint8Array(36)));
    write('train-labels-idx1-ubyte', encodeIdx([4], Uint8Array.from([0, 1, 2, 1])));
    write('t10k-images-idx3-ubyte', encodeIdx([2, 3, 3], new Uint8Array(18)));
    write('t10k-labels-idx1-ubyte', encodeIdx([2], Uint8Array.from([0, 2])));
    const ok = await catalogue.load({ kind: 'idx', dir });
    expect(ok).toMatchObject({
      ok: true,
      value: { shape: [1, 3, 3], classes: ['0', '1', '2'], train: { count: 4 }, test: { count: 2 } },
    });
    write('t10k-labels-idx1-ubyte', encodeIdx([3], Uint8Array.from([0, 2, 1])));
    const bad = await catalogue.load({ kind: 'idx', dir });
    expect(bad).toMatchObject({
      ok: false,
      error: { kind: 'countMismatch', file: join(dir, 't10k-labels-idx1-ubyte') },
    });
  });

  it('reads an image-folder dataset with train/ and test/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-folder-'));
    for (const part of ['train', 'test']) {
      for (const [c, value] of [
        ['boot', 30],
        ['shirt', 220],
      ] as const) {
        mkdirSync(join(dir, part, c), { recursive: true });
        writeFileSync(
          join(dir, part, c, 'a.png'),
          encodePng({ width: 5, height: 5, channels: 1, data: new Uint8Array(25).fill(value) }),
        );
      }
    }
    const r = await catalogue.load({ kind: 'folder', dir });
    expect(r).toMatchObject({
      ok: true,
      value: { classes: ['boot', 'shirt'], shape: [1, 5, 5], train: { count: 2 }, test: { count: 2 } },
    });
    expect(await catalogue.load({ kind: 'folder', dir: join(dir, 'nope') })).toMatchObject({
      ok: false,
      error: { kind: 'notFound' },
    });
  });

  it('parses the --dataset forms', () => {
    expect(parseDatasetSpec('fashion-mnist')).toEqual({ kind: 'fashion-mnist' });
    expect(parseDatasetSpec('idx:/d')).toEqual({ kind: 'idx', dir: '/d' });
    expect(parseDatasetSpec('csv:a.csv,b.csv@1x28x28')).toEqual({
      kind: 'csv',
      train: 'a.csv',
      test: 'b.csv',
      shape: [1, 28, 28],
    });
    expect(parseDatasetSpec('mnist')).toBeNull();
  });
});
