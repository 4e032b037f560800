import { describe, expect, it } from 'vitest';
import { classCounts, previewSamples } from './preview.ts';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { gunzipSync, gzipSync } from 'fflate';
import { decodeCsv } from './csv.ts';
import { maybeGunzip } from './gzip.ts';
import { decodeIdx, encodeIdx, encodeImagesIdx, idxImageSet } from './idx.ts';
import { decodeImageFolders, type ClassFolder } from './image-folder.ts';

const bytes = (n: number, f: (i: number) => number) => Uint8Array.from({ length: n }, (_, i) => f(i));

describe('IDX files', () => {
  const images = encodeIdx(
    [3, 2, 2],
    bytes(12, (i) => i),
  );
  const labels = encodeIdx(
    [3],
    bytes(3, (i) => i),
  );

  it('decodes images and labels, gzipped or not', async () => {
    const i = decodeIdx(await maybeGunzip(gzipSync(images), async (b) => gunzipSync(b)), 'a');
    const l = decodeIdx(labels, 'b');
    if (!i.ok || !l.ok) throw new Error('decode failed');
    expect(i.value.dims).toEqual([3, 2, 2]);
    const set = idxImageSet(i.value, l.value, { images: 'a', labels: 'b' });
    expect(set).toMatchObject({ ok: true, value: { shape: [1, 2, 2], set: { count: 3 } } });
  });

  it('round-trips a colour set through N×H×W×C IDX files', () => {
    const set = { images: bytes(2 * 2 * 3 * 3, (i) => i), labels: Uint8Array.from([1, 0]), count: 2 };
    const i = decodeIdx(encodeImagesIdx(set, [3, 3, 2]), 'imgs');
    const l = decodeIdx(encodeIdx([set.count], set.labels), 'lbls');
    if (!i.ok || !l.ok) throw new Error('decode failed');
    expect(i.value.dims).toEqual([2, 3, 2, 3]);
    expect(idxImageSet(i.value, l.value, { images: 'imgs', labels: 'lbls' })).toEqual({
      ok: true,
      value: { shape: [3, 3, 2], set },
    });
  });

  it('refuses images of two channels', () => {
    const i = decodeIdx(
      encodeIdx(
        [1, 2, 2, 2],
        bytes(8, () => 0),
      ),
      'imgs',
    );
    const l = decodeIdx(
      encodeIdx(
        [1],
        bytes(1, () => 0),
      ),
      'lbls',
    );
    if (!i.ok || !l.ok) throw new Error('decode failed');
    expect(idxImageSet(i.value, l.value, { images: 'imgs', labels: 'lbls' })).toMatchObject({
      ok: false,
      error: { kind: 'badMagic', message: expect.stringContaining('found 1×2×2×2') },
    });
  });

  it.each([
    ['a wrong magic number', new Uint8Array([1, 2, 8, 1, 0, 0, 0, 1, 5]), 'badMagic'],
    ['another element type', new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 5, 5, 5, 5]), 'badMagic'],
    ['a cut header', new Uint8Array([0, 0, 8, 3, 0, 0]), 'truncated'],
    ['cut data', images.subarray(0, images.length - 1), 'truncated'],
  ])('names the file and the problem for %s', (_name, data, kind) => {
    expect(decodeIdx(data, 'train-images')).toMatchObject({
      ok: false,
      error: { kind, file: 'train-images', message: expect.stringMatching(/^train-images: /) },
    });
  });

  it('refuses image and label counts that differ', () => {
    const i = decodeIdx(images, 'imgs');
    const l = decodeIdx(
      encodeIdx(
        [2],
        bytes(2, () => 0),
      ),
      'lbls',
    );
    if (!i.ok || !l.ok) throw new Error('decode failed');
    expect(idxImageSet(i.value, l.value, { images: 'imgs', labels: 'lbls' })).toMatchObject({
      ok: false,
      error: { kind: 'countMismatch', message: 'lbls: has 2 labels but imgs has 3 images.' },
    });
  });
});

describe('CSV files', () => {
  it('reads label-then-pixels rows and skips a header', () => {
    const r = decodeCsv('label,p1,p2,p3,p4\n1,0,10,20,255\n0,1,2,3,4\n', 'f.csv', 4);
    expect(r).toMatchObject({
      ok: true,
      value: {
        count: 2,
        labels: Uint8Array.from([1, 0]),
        images: Uint8Array.from([0, 10, 20, 255, 1, 2, 3, 4]),
      },
    });
  });

  it.each([
    ['1,2,3\n', /row 1 has 3 values; expected a label and 4 pixels/],
    ['1,2,3,4,300\n', /row 1, column 5 is not a pixel value from 0 to 255, written in digits/],
    // Numbers JavaScript reads that no CSV of pixels means (they were read as 100 and 16).
    ['1,2,3,4,1e2\n', /row 1, column 5 is not a pixel value/],
    ['1,0x10,3,4,5\n', /row 1, column 2 is not a pixel value/],
    ['-1,2,3,4,5\n', /row 1, column 1 is not a label from 0 to 99999/],
    ['', /has no rows/],
  ])('explains %j', (text, message) => {
    expect(decodeCsv(text, 'f.csv', 4)).toMatchObject({
      ok: false,
      error: { kind: 'badCsv', message: expect.stringMatching(message) },
    });
  });
});

describe('labels past 256 classes', () => {
  it('a 300-class folder labels every class (classes 256–299 got no images in bytes)', () => {
    const png = encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array(4) });
    const folders: ClassFolder[] = Array.from({ length: 300 }, (_, c) => ({
      name: `c${c}`,
      path: `data/c${c}`,
      files: [{ path: `data/c${c}/0.png`, bytes: png }],
    }));
    const decoded = decodeImageFolders(folders, 'data');
    if (!decoded.ok) throw new Error(decoded.error.message);
    expect(decoded.value.classes).toHaveLength(300);
    expect(Array.from(decoded.value.set.labels)).toEqual(Array.from({ length: 300 }, (_, c) => c));
  });

  it('IDX labels as 16- and 32-bit integers, and a CSV label of 299, read as written', () => {
    const wide = Uint16Array.from([0, 299, 1000]);
    // Written as IDX type 0x0c (32-bit); type 0x0b (16-bit, big-endian) is read too.
    const written = encodeIdx([3], wide);
    expect(written[2]).toBe(0x0c);
    expect(decodeIdx(written, 'l')).toMatchObject({ ok: true, value: { dims: [3], data: wide } });
    const short = Uint8Array.from([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x2b, 0x00, 0x07]);
    expect(decodeIdx(short, 'l')).toMatchObject({ ok: true, value: { data: Uint16Array.from([299, 7]) } });
    const negative = Uint8Array.from([0, 0, 0x0b, 1, 0, 0, 0, 1, 0xff, 0xff]);
    expect(decodeIdx(negative, 'l')).toMatchObject({
      ok: false,
      error: { kind: 'badLabel', message: 'l: value 1 is -1; labels run from 0 to 99999.' },
    });
    // Images stay bytes.
    const images = decodeIdx(encodeIdx([1, 1, 1], Uint16Array.from([300])), 'i');
    if (!images.ok) throw new Error(images.error.message);
    expect(idxImageSet(images.value, images.value, { images: 'i', labels: 'l' })).toMatchObject({
      ok: false,
      error: { message: 'i: images must be unsigned bytes (IDX type 0x08), one per pixel.' },
    });
    expect(decodeCsv('299,1\n3,2\n', 'f.csv', 1)).toMatchObject({
      ok: true,
      value: { labels: Uint16Array.from([299, 3]) },
    });
  });
});

describe('image folders', () => {
  const png = (value: number, size = 4, channels = 1) =>
    encodePng({
      width: size,
      height: size,
      channels,
      data: new Uint8Array(size * size * channels).fill(value),
    });
  const jpg = (value: number) =>
    jpeg.encode({ width: 4, height: 4, data: Buffer.alloc(64, value) }, 100).data;
  const folder = (name: string, files: Uint8Array[]): ClassFolder => ({
    name,
    path: `data/${name}`,
    files: files.map((b, i) => ({ path: `data/${name}/${i}.img`, bytes: b })),
  });

  it('reads PNG and JPEG images, one class per folder, grey or colour', () => {
    const grey = decodeImageFolders([folder('cat', [png(10), png(20)]), folder('dog', [png(200)])], 'data');
    expect(grey).toMatchObject({
      ok: true,
      value: {
        classes: ['cat', 'dog'],
        shape: [1, 4, 4],
        set: { count: 3, labels: Uint8Array.from([0, 0, 1]) },
      },
    });
    const red = encodePng({
      width: 4,
      height: 4,
      channels: 3,
      data: new Uint8Array(48).fill(200).fill(0, 16),
    });
    const colour = decodeImageFolders([folder('a', [red]), folder('b', [jpg(128)])], 'data');
    if (!colour.ok) throw new Error(colour.error.message);
    expect(colour.value.shape).toEqual([3, 4, 4]);
    expect(Math.abs(colour.value.set.images[16 * 3]! - 128)).toBeLessThan(4);
  });

  it('keeps a grey JPEG (RGBA once decoded) and a grey RGB PNG among grey PNGs grey', () => {
    // The JPEG made the whole split colour, so train/ and test/ differed and test/ was blamed.
    const mixed = decodeImageFolders(
      [folder('a', [png(10), jpg(128)]), folder('b', [png(20, 4, 3)])],
      'data',
    );
    expect(mixed).toMatchObject({ ok: true, value: { shape: [1, 4, 4], set: { count: 3 } } });
  });

  it('refuses an image past 4096 pixels a side before decoding it, and images that add up past the limit', () => {
    const huge = png(0);
    // A 20000×20000 PNG's header (its pixels would take 400 MB): read before a byte is decoded.
    new DataView(huge.buffer, huge.byteOffset).setUint32(16, 20_000);
    new DataView(huge.buffer, huge.byteOffset).setUint32(20, 20_000);
    expect(decodeImageFolders([folder('a', [png(1)]), folder('b', [huge])], 'data')).toMatchObject({
      ok: false,
      error: {
        kind: 'tooLarge',
        message: 'data/b/0.img: is 20000×20000; images up to 4096×4096 are read: resize it first.',
      },
    });
    const many = [folder('a', [png(1), png(2)]), folder('b', [png(3), png(4)])];
    expect(decodeImageFolders(many, 'data', undefined, 16 * 3)).toMatchObject({
      ok: false,
      error: {
        kind: 'tooLarge',
        message: expect.stringMatching(/^data\/b\/1\.img: the images up to this one decode to more than/),
      },
    });
    expect(decodeImageFolders(many, 'data', undefined, 16 * 4).ok).toBe(true);
  });

  it.each([
    [
      'an empty class folder',
      () => [folder('cat', [png(1)]), folder('dog', [])],
      'emptyClassFolder',
      /data\/dog: this class folder has no PNG or JPEG images/,
    ],
    [
      'an unreadable image',
      () => [folder('cat', [png(1)]), folder('dog', [new Uint8Array([1, 2, 3])])],
      'unreadableImage',
      /data\/dog\/0\.img: cannot read this image/,
    ],
    [
      'images of different sizes',
      () => [folder('cat', [png(1)]), folder('dog', [png(1, 5)])],
      'unreadableImage',
      /is 5×5, but most images here are 4×4/,
    ],
    [
      'a single class',
      () => [folder('cat', [png(1)])],
      'emptyClassFolder',
      /^data: has one class folder \(cat\); a classification dataset needs at least two/,
    ],
  ])('names the file and the problem for %s', (_name, folders, kind, message) => {
    expect(decodeImageFolders(folders(), 'data')).toMatchObject({
      ok: false,
      error: { kind, message: expect.stringMatching(message) },
    });
  });
});

describe('previews', () => {
  it('take the first images of each class, in class order', () => {
    const data = {
      name: 'x',
      classes: ['a', 'b', 'c'],
      shape: [1, 1, 2] as [number, number, number],
      train: {
        images: Uint8Array.from([1, 1, 2, 2, 3, 3, 4, 4]),
        labels: Uint8Array.from([2, 0, 2, 0]),
        count: 4,
      },
      test: { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 },
    };
    const samples = previewSamples(data, 2);
    expect(samples.map((s) => [s.className, Array.from(s.pixels)])).toEqual([
      ['a', [2, 2]],
      ['a', [4, 4]],
      ['c', [1, 1]],
      ['c', [3, 3]],
    ]);
    expect(classCounts(data, data.train)).toEqual([2, 0, 2]);
  });
});
