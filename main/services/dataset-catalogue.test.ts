import {
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { gzipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encode as encodePng } from 'fast-png';
import { parseClassNames } from '../../shared/data/dataset.ts';
import { encodeIdx } from '../../shared/data/idx.ts';
import { IDX_FILES, idxDataset } from '../../shared/data/idx-dataset.ts';
import {
  DatasetCatalogue,
  FASHION_MNIST_DIR,
  parseDatasetSpec,
  type DatasetSpec,
} from './dataset-catalogue.ts';
import { csvImageShape } from './dataset-reader.ts';
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
    const r = await new DatasetCatalogue(nodeFileSystem, { fashionMnistDir: '/nonexistent' }).load({
      kind: 'fashion-mnist',
    });
    expect(r).toMatchObject({
      ok: false,
      error: { kind: 'notFound', message: expect.stringMatching(/apt-get install dataset-fashion-mnist/) },
    });
  });

  it('refuses a gzip bomb (17 × 64 MB of zeros in 1.1 MB) when it passes 1 GiB unpacked, naming the file', async () => {
    const dir = idxFolder([0, 1], [1, 0]);
    const member = gzipSync(new Uint8Array(64 * 2 ** 20));
    const bomb = Buffer.concat(Array.from({ length: 17 }, () => member));
    expect(bomb.length).toBeLessThan(1.2e6);
    rmSync(join(dir, IDX_FILES.trainImages));
    writeFileSync(join(dir, `${IDX_FILES.trainImages}.gz`), bomb);
    expect(await catalogue.load({ kind: 'idx', dir, name: 'bomb' })).toMatchObject({
      ok: false,
      error: {
        kind: 'tooLarge',
        message: expect.stringMatching(/train-images-idx3-ubyte\.gz: it unpacks to more than 1 GiB/),
      },
    });
  });

  it('stops unpacking a gzip bomb behind a small IDX header once it passes what the header announces', async () => {
    const dir = idxFolder([0, 1], [1, 0]);
    const header = encodeIdx([2, 3, 3], new Uint8Array(18));
    const zeros = gzipSync(new Uint8Array(64 * 2 ** 20));
    const bomb = Buffer.concat([gzipSync(header), ...Array.from({ length: 4 }, () => zeros)]);
    rmSync(join(dir, IDX_FILES.trainImages));
    writeFileSync(join(dir, `${IDX_FILES.trainImages}.gz`), bomb);
    // It unpacked all 256 MB before it was refused.
    expect(await catalogue.load({ kind: 'idx', dir, name: 'bomb' })).toMatchObject({
      ok: false,
      error: {
        kind: 'tooLarge',
        message: expect.stringMatching(
          /train-images-idx3-ubyte\.gz: it unpacks to more than the 34 bytes its IDX header announces/,
        ),
      },
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
    const given = await new DatasetCatalogue(nodeFileSystem, { fashionMnistDir: dir }).load({
      kind: 'fashion-mnist',
    });
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
      error: { message: expect.stringMatching(/train\.csv: row 2, column 3 is not a pixel value/) },
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

describe('DatasetCatalogue offers and serves every kind of user dataset', () => {
  /** A catalogue over a fresh datasets folder, with its list of added folders beside it. */
  function fresh() {
    const home = mkdtempSync(join(tmpdir(), 'bw-home-'));
    const userFolder = join(home, 'datasets');
    mkdirSync(userFolder);
    const added = join(home, 'data', 'datasets.json');
    return {
      home,
      userFolder,
      catalogue: new DatasetCatalogue(nodeFileSystem, { userFolder, addedList: added }),
    };
  }
  const write = (path: string, data: Uint8Array | string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, data);
  };
  /** A colour image folder: two classes of 4×3 RGB PNGs, each pixel (class, i, 200). */
  function colourFolder(dir: string) {
    for (const part of ['train', 'test'])
      for (const [label, name] of ['red', 'blue'].entries())
        for (const i of [0, 1])
          write(
            join(dir, part, name, `${i}.png`),
            encodePng({
              width: 4,
              height: 3,
              channels: 3,
              data: Uint8Array.from({ length: 36 }, (_, k) => [label, i, 200][k % 3]!),
            }),
          );
  }
  /** What the training worker reads back from the dataset route, decoded as it decodes it. */
  async function served(catalogue: DatasetCatalogue, id: string) {
    const file = async (name: string) => {
      const bytes = await catalogue.servedFile(`/datasets/${encodeURIComponent(id)}/${name}`);
      if (!bytes) throw new Error(`${name} not served`);
      return { path: name, bytes };
    };
    const files = {
      trainImages: await file(IDX_FILES.trainImages),
      trainLabels: await file(IDX_FILES.trainLabels),
      testImages: await file(IDX_FILES.testImages),
      testLabels: await file(IDX_FILES.testLabels),
    };
    return idxDataset(files, id, parseClassNames(await catalogue.servedFile(`/datasets/${id}/classes.json`)));
  }

  it('serves a 300-class folder with every label, as the worker reads it (labels were bytes: 256–299 lost)', async () => {
    const { userFolder, catalogue } = fresh();
    const grey = encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array(4) });
    for (const part of ['train', 'test'])
      for (let c = 0; c < 300; c++)
        write(join(userFolder, 'many', part, `c${String(c).padStart(3, '0')}`, '0.png'), grey);
    expect((await catalogue.offered())[1]).toMatchObject({ id: 'many', train: 300, test: 300 });
    const read = await served(catalogue, 'many');
    if (!read.ok) throw new Error(read.error.message);
    expect(read.value.classes).toHaveLength(300);
    expect(Array.from(read.value.train.labels)).toEqual(Array.from({ length: 300 }, (_, c) => c));
    expect(Array.from(read.value.test.labels).slice(-1)).toEqual([299]);
  });

  it('offers an image folder, a CSV folder and an IDX folder, and serves each as the CLI reads it', async () => {
    const { userFolder, catalogue } = fresh();
    colourFolder(join(userFolder, 'colours'));
    const row = (label: number) => [label, ...Array.from({ length: 16 }, (_, i) => i * label)].join(',');
    write(join(userFolder, 'csv4', 'train.csv'), [row(0), row(1), row(2)].join('\n'));
    write(join(userFolder, 'csv4', 'test.csv'), row(1));
    write(join(userFolder, 'csv4', 'dataset.json'), JSON.stringify({ classes: ['zero', 'one', 'two'] }));
    const idx = idxFolder([0, 1, 0, 1], [1, 0]);
    mkdirSync(join(userFolder, 'idx'));
    for (const f of Object.values(IDX_FILES))
      writeFileSync(join(userFolder, 'idx', f), readFileSync(join(idx, f)));

    expect(await catalogue.offered()).toEqual([
      expect.objectContaining({ id: 'fashion-mnist' }),
      { id: 'colours', name: 'colours', shape: [3, 3, 4], classes: ['blue', 'red'], train: 4, test: 4 },
      { id: 'csv4', name: 'csv4', shape: [1, 4, 4], classes: ['zero', 'one', 'two'], train: 3, test: 1 },
      { id: 'idx', name: 'idx', shape: [1, 3, 3], classes: ['0', '1'], train: 4, test: 2 },
    ]);
    for (const [id, spec] of [
      ['colours', { kind: 'folder', dir: join(userFolder, 'colours') }],
      [
        'csv4',
        {
          kind: 'csv',
          train: join(userFolder, 'csv4', 'train.csv'),
          test: join(userFolder, 'csv4', 'test.csv'),
          classes: ['zero', 'one', 'two'],
        },
      ],
      ['idx', { kind: 'idx', dir: join(userFolder, 'idx') }],
    ] as const) {
      const direct = await catalogue.load(spec as DatasetSpec);
      const viaRoute = await served(catalogue, id);
      if (!direct.ok || !viaRoute.ok) throw new Error(`${id} did not read`);
      expect(viaRoute.value.shape).toEqual(direct.value.shape);
      expect(viaRoute.value.classes).toEqual(direct.value.classes);
      expect(viaRoute.value.train.images).toEqual(direct.value.train.images);
      expect(viaRoute.value.test.labels).toEqual(direct.value.test.labels);
    }
  });

  it('says what is wrong with a folder that holds no dataset or a broken dataset.json', async () => {
    const { userFolder, catalogue } = fresh();
    write(join(userFolder, 'notes', 'readme.txt'), 'hello');
    colourFolder(join(userFolder, 'badnote'));
    write(join(userFolder, 'badnote', 'dataset.json'), '{"classes": "cats"}');
    const offers = await catalogue.offered();
    expect(offers.slice(1)).toEqual([
      {
        id: 'badnote',
        name: 'badnote',
        problem: expect.stringMatching(
          /dataset\.json: "classes": a list \(each a text of at most 200 characters\)/,
        ),
      },
      {
        id: 'notes',
        name: 'notes',
        problem: expect.stringMatching(/holds no dataset: put in it the four MNIST-style IDX files/),
      },
    ]);
    expect(await catalogue.servedFile('/datasets/notes/train-images-idx3-ubyte')).toBeNull();
  });

  it('serves only dataset files, never a file of the folder as such', async () => {
    const { userFolder, catalogue } = fresh();
    colourFolder(join(userFolder, 'colours'));
    for (const path of [
      '/datasets/colours/train/red/0.png',
      '/datasets/colours/dataset.json',
      '/datasets/colours/..%2F..%2Fetc%2Fpasswd',
      '/datasets/fashion-mnist/..%2F..%2F..%2Fetc%2Fpasswd',
      '/datasets/nope/train-images-idx3-ubyte',
    ])
      expect(await catalogue.servedFile(path), path).toBeNull();
    expect(await catalogue.servedFile('/datasets/colours/t10k-labels-idx1-ubyte')).not.toBeNull();
  });

  it('removes a folder added from elsewhere from the list, even once gone, and refuses the others saying why', async () => {
    const { home, userFolder, catalogue } = fresh();
    colourFolder(join(userFolder, 'colours'));
    const [a, b] = [join(home, 'x', 'a'), join(home, 'x', 'b')];
    colourFolder(a);
    colourFolder(b);
    expect(await catalogue.add(a)).toMatchObject({ id: 'a', added: true });
    await catalogue.add(b);
    const offered = await catalogue.offered();
    expect(offered.map((d) => [d.id, d.added ?? false])).toEqual([
      ['fashion-mnist', false],
      ['colours', false],
      ['a', true],
      ['b', true],
    ]);
    expect((await catalogue.remove('a')).map((d) => d.id)).toEqual(['fashion-mnist', 'colours', 'b']);
    expect(existsSync(join(a, 'train'))).toBe(true);
    // A folder deleted after it was added can still be taken off the list.
    rmSync(b, { recursive: true });
    await catalogue.remove('b');
    expect(JSON.parse(readFileSync(join(home, 'data', 'datasets.json'), 'utf8'))).toEqual([]);
    await expect(catalogue.remove('colours')).rejects.toThrow(
      /colours lies in the datasets folder .*move it out/,
    );
    await expect(catalogue.remove('fashion-mnist')).rejects.toThrow(/Fashion-MNIST is always offered/);
    await expect(catalogue.remove('nope')).rejects.toThrow(/nope is not among the datasets added/);
  });

  it('adds a folder from elsewhere once, under a free id, and keeps offering it', async () => {
    const { home, userFolder, catalogue } = fresh();
    colourFolder(join(userFolder, 'colours'));
    const elsewhere = join(home, 'elsewhere', 'colours');
    colourFolder(elsewhere);
    expect(await catalogue.add(elsewhere)).toMatchObject({ id: 'colours 2', shape: [3, 3, 4] });
    expect(await catalogue.add(elsewhere)).toMatchObject({ id: 'colours 2' });
    expect(await catalogue.add(join(userFolder, 'colours'))).toMatchObject({ id: 'colours' });
    const again = new DatasetCatalogue(nodeFileSystem, {
      userFolder,
      addedList: join(home, 'data', 'datasets.json'),
    });
    expect((await again.offered()).map((d) => d.id)).toEqual(['fashion-mnist', 'colours', 'colours 2']);
    expect(await again.servedFile('/datasets/colours%202/classes.json')).toEqual(
      new TextEncoder().encode('["blue","red"]'),
    );
    await expect(catalogue.add(join(home, 'elsewhere'))).rejects.toThrow(/holds no dataset/);
    await expect(catalogue.add(join(home, 'missing'))).rejects.toThrow(/does not exist/);
    rmSync(elsewhere, { recursive: true });
    expect((await again.offered()).map((d) => d.id)).toEqual(['fashion-mnist', 'colours']);
  });

  it('lists a folder it cannot read with its reason, and keeps answering for the others', async () => {
    const { home, userFolder, catalogue } = fresh();
    const loop = join(userFolder, 'loop');
    colourFolder(loop);
    symlinkSync('self.png', join(loop, 'train', 'red', 'self.png'));
    const huge = join(userFolder, 'huge');
    write(join(huge, 'dataset.json'), JSON.stringify({ shape: [1, 2 ** 40, 2 ** 40] }));
    write(join(huge, 'train.csv'), '0,1\n');
    write(join(huge, 'test.csv'), '0,1\n');
    const offered = await catalogue.offered();
    expect(offered.map((d) => d.id)).toEqual(['fashion-mnist', 'huge', 'loop']);
    expect(offered[1]).toMatchObject({ problem: expect.stringMatching(/dataset\.json/) });
    expect(offered[2]).toMatchObject({ problem: expect.stringMatching(/self\.png/) });
    // Adding such a folder from elsewhere is refused with its reason, and never enters the list.
    const elsewhere = join(home, 'elsewhere', 'loop');
    colourFolder(elsewhere);
    symlinkSync('self.png', join(elsewhere, 'train', 'red', 'self.png'));
    await expect(catalogue.add(elsewhere)).rejects.toThrow(/self\.png/);
    expect((await catalogue.offered()).map((d) => d.id)).toEqual(['fashion-mnist', 'huge', 'loop']);
  });

  it('keeps every added folder past a hundred (the list was cut at 100)', async () => {
    const { home, catalogue } = fresh();
    const dirs = Array.from({ length: 103 }, (_, i) => join(home, 'many', `set${i}`));
    for (const dir of dirs) colourFolder(dir);
    for (const dir of dirs) await catalogue.add(dir);
    const ids = (await catalogue.offered()).map((d) => d.id);
    expect(ids).toHaveLength(104);
    expect(ids).toContain('set0');
  });

  it('reads a CSV image shape from its pixel count, or asks for it', () => {
    expect(csvImageShape(`label,${'p,'.repeat(783)}p\n1,${'0,'.repeat(783)}0`, 'a.csv')).toEqual({
      ok: true,
      value: [1, 28, 28],
    });
    expect(csvImageShape(`1,${'0,'.repeat(3071)}0`, 'a.csv')).toEqual({ ok: true, value: [3, 32, 32] });
    expect(csvImageShape('1,0,0,0,0,0', 'a.csv')).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/a\.csv: its rows have 5 pixels.*give the shape/) },
    });
  });
});
