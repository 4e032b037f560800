import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encode as encodePng } from 'fast-png';
import { encodeIdx } from '../../shared/data/idx.ts';
import { DatasetCatalogue, FASHION_MNIST_DIR, parseDatasetSpec } from './dataset-catalogue.ts';
import { nodeFileSystem } from './file-system.ts';

const catalogue = new DatasetCatalogue(nodeFileSystem);

/** An IDX folder of 3×3 black images with these training and test labels. */
function idxFolder(train: number[], test: number[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bw-idx-'));
  const write = (name: string, data: Uint8Array) => writeFileSync(join(dir, name), data);
  write('train-images-idx3-ubyte', encodeIdx([train.length, 3, 3], new Uint8Array(9 * train.length)));
  write('train-labels-idx1-ubyte', encodeIdx([train.length], Uint8Array.from(train)));
  write('t10k-images-idx3-ubyte', encodeIdx([test.length, 3, 3], new Uint8Array(9 * test.length)));
  write('t10k-labels-idx1-ubyte', encodeIdx([test.length], Uint8Array.from(test)));
  return dir;
}

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

  it('names a damaged gzip file instead of crashing', async () => {
    const dir = idxFolder([0, 1, 0, 1], [0, 1]);
    const whole = gzipSync(encodeIdx([4, 3, 3], new Uint8Array(36)));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), whole.subarray(0, whole.length - 9));
    rmSync(join(dir, 'train-images-idx3-ubyte'));
    expect(await catalogue.load({ kind: 'idx', dir })).toMatchObject({
      ok: false,
      error: {
        file: join(dir, 'train-images-idx3-ubyte.gz'),
        message: expect.stringMatching(/not a readable gzip file .*damaged or cut short/),
      },
    });
  });

  it('counts the classes of 120,000 labels without overflowing the stack', async () => {
    const labels = Uint8Array.from({ length: 120_000 }, (_, i) => i % 3);
    const dir = idxFolder([...labels], [0, 1, 2]);
    const r = await catalogue.load({ kind: 'idx', dir });
    expect(r).toMatchObject({ ok: true, value: { classes: ['0', '1', '2'], train: { count: 120_000 } } });
  });

  it('refuses an empty training set, naming the file', async () => {
    const dir = idxFolder([], [0, 1]);
    expect(await catalogue.load({ kind: 'idx', dir })).toMatchObject({
      ok: false,
      error: { kind: 'empty', file: join(dir, 'train-labels-idx1-ubyte') },
    });
  });

  it('names the file and the image of a label out of range, or one that leaves a gap', async () => {
    const dir = idxFolder([0, 1, 0, 1], [0, 11]);
    const given = await new DatasetCatalogue(nodeFileSystem, dir).load({ kind: 'fashion-mnist' });
    expect(given).toMatchObject({
      ok: false,
      error: {
        kind: 'badLabel',
        message: expect.stringMatching(
          /t10k-labels-idx1-ubyte: image 2 has label 11, but the dataset has 10 classes/,
        ),
      },
    });
    const gap = await catalogue.load({ kind: 'idx', dir: idxFolder([0, 1, 200, 1], [0, 1]) });
    expect(gap).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/image 3 has label 200, but no image has label 2/) },
    });
  });

  it('reads an empty CSV cell as a mistake, not as 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-csv-'));
    writeFileSync(join(dir, 'train.csv'), 'label,p1,p2,p3,p4\n0,1,2,3,4\n1,5,,7,8\n');
    writeFileSync(join(dir, 'test.csv'), '0,1,2,3,4\n');
    const spec = parseDatasetSpec(`csv:${join(dir, 'train.csv')},${join(dir, 'test.csv')}@1x2x2`)!;
    expect(await catalogue.load(spec)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/train\.csv: row 2, column 3: "" is not an integer/) },
    });
  });

  it('blames the image of the odd size, even when it sorts first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-sizes-'));
    const png = (size: number) =>
      encodePng({ width: size, height: size, channels: 1, data: new Uint8Array(size * size) });
    for (const part of ['train', 'test'])
      for (const c of ['a', 'b']) {
        mkdirSync(join(dir, part, c), { recursive: true });
        for (const n of ['2.png', '3.png']) writeFileSync(join(dir, part, c, n), png(5));
      }
    writeFileSync(join(dir, 'train', 'a', '1.png'), png(1));
    expect(await catalogue.load({ kind: 'folder', dir })).toMatchObject({
      ok: false,
      error: {
        file: join(dir, 'train', 'a', '1.png'),
        message: expect.stringMatching(/is 1×1, but most images here are 5×5/),
      },
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
