import { encode as encodePng } from 'fast-png';
import { gzipSync, strToU8 } from 'fflate';
import jpeg from 'jpeg-js';
import { IDX_FILES } from '../data/idx-dataset.ts';
import { encodeIdx } from '../data/idx.ts';
import { SeededRandom } from '../random.ts';

/**
 * Bad datasets, as folders to plant on disk: each of the three forms (IDX files, image folders, CSVs, with
 * a dataset.json) with one fault, and the entry its refusal must name. The CLI and both hosts must answer
 * each within seconds with an error naming that entry, never accept it, never hang, never crash. Used by
 * the dataset reader's test (every fault, seed 0) and `npm run fuzz` (seeded variations of each).
 */

/** One entry of a planted folder. */
export type PlantedEntry =
  | { file: Uint8Array }
  /** A symbolic link to this target: absolute, or relative to the dataset's folder (not the link's). */
  | { link: string }
  /** A named pipe: a reader that waits on it never returns. */
  | { fifo: true }
  | { folder: true };

export type DatasetForm = 'idx' | 'folder' | 'csv';

export interface PlantedDataset {
  fault: string;
  form: DatasetForm;
  /** Path relative to the dataset's folder ("../x" beside it) → entry; folders on the way are made. */
  entries: Record<string, PlantedEntry>;
  /**
   * The entry the refusal must name ('' for the folder itself), or null for a dataset that must load: with
   * so many training images (a first row taken for a header, say, would drop one).
   */
  blame: string | null;
  trainCount?: number;
  /** Only the hosts refuse it: a dataset.json (the CLI reads none), or a link out of the folder (the CLI
   * follows the user's links; the hosts serve only what lies in the folder). */
  hostOnly?: true;
}

const SIDE = 4;
const PIXELS = SIDE * SIDE;
const TRAIN_LABELS = [0, 1, 2, 0, 1, 2];
const TEST_LABELS = [2, 1, 0];
const CLASSES = ['a', 'b', 'c'];

const file = (bytes: Uint8Array): PlantedEntry => ({ file: bytes });
const text = (t: string): PlantedEntry => file(strToU8(t));
const pixels = (count: number, seed: number) =>
  Uint8Array.from({ length: count * PIXELS }, (_, i) => (i * 37 + seed * 11) % 256);

const idxImages = (count: number, side = SIDE) =>
  encodeIdx([count, side, side], pixels(count, 1).subarray(0, count * side * side));
const idxLabels = (labels: number[]) => encodeIdx([labels.length], Uint8Array.from(labels));

function idxBase(train = TRAIN_LABELS, test = TEST_LABELS): Record<string, PlantedEntry> {
  return {
    [IDX_FILES.trainImages]: file(idxImages(train.length)),
    [IDX_FILES.trainLabels]: file(idxLabels(train)),
    [IDX_FILES.testImages]: file(idxImages(test.length)),
    [IDX_FILES.testLabels]: file(idxLabels(test)),
  };
}

function png(side = SIDE, options: { channels?: number; depth?: 8 | 16; seed?: number } = {}): Uint8Array {
  const channels = options.channels ?? 1;
  const count = side * side * channels;
  const data = (options.depth ?? 8) === 16 ? new Uint16Array(count) : new Uint8Array(count);
  for (let i = 0; i < count; i++) data[i] = (i * 29 + (options.seed ?? 0) * 7) % 256;
  return encodePng({ width: side, height: side, data, channels, depth: options.depth ?? 8 });
}

/** A JPEG, grey (r = g = b everywhere) or in colour. */
function jpg(colour: boolean): Uint8Array {
  const data = new Uint8Array(PIXELS * 4);
  for (let i = 0; i < PIXELS; i++) data.set(colour ? [200, 30, 90, 255] : [i * 9, i * 9, i * 9, 255], 4 * i);
  return new Uint8Array(jpeg.encode({ data, width: SIDE, height: SIDE }, 95).data);
}

/** train/ and test/ with a folder of grey PNGs per class. */
function folderBase(): Record<string, PlantedEntry> {
  const entries: Record<string, PlantedEntry> = {};
  for (const [split, perClass] of [
    ['train', 2],
    ['test', 1],
  ] as const)
    for (const c of CLASSES)
      for (let i = 0; i < perClass; i++) entries[`${split}/${c}/${i}.png`] = file(png(SIDE, { seed: i }));
  return entries;
}

const csvRows = (labels: number[], cells = PIXELS) =>
  labels.map((l, r) => [l, ...Array.from({ length: cells }, (_, i) => (i * 13 + r) % 256)].join(','));
const csv = (labels: number[]) =>
  `label,${Array.from({ length: PIXELS }, (_, i) => `p${i}`)}\n${csvRows(labels).join('\n')}\n`;

function csvBase(): Record<string, PlantedEntry> {
  return { 'train.csv': text(csv(TRAIN_LABELS)), 'test.csv': text(csv(TEST_LABELS)) };
}

const BASES: Record<DatasetForm, () => Record<string, PlantedEntry>> = {
  idx: () => idxBase(),
  folder: folderBase,
  csv: csvBase,
};

const pickOne = <T>(rng: SeededRandom, items: readonly T[]): T => items[rng.int(items.length)]!;

const bytesOf = (entry: PlantedEntry | undefined): Uint8Array =>
  entry && 'file' in entry ? entry.file : new Uint8Array();

/** A change to a good dataset that makes it bad (or, `blame` null, one that must still load). */
interface Fault {
  fault: string;
  form: DatasetForm;
  hostOnly?: true;
  make(rng: SeededRandom): {
    entries: Record<string, PlantedEntry>;
    blame: string | null;
    trainCount?: number;
  };
}

/** One file of the form replaced by `change` of its bytes. */
function damaged(
  form: DatasetForm,
  fault: string,
  change: (b: Uint8Array, rng: SeededRandom) => Uint8Array,
): Fault {
  return {
    fault,
    form,
    make: (rng) => {
      const entries = BASES[form]();
      const name = pickOne(rng, Object.keys(entries));
      return { entries: { ...entries, [name]: file(change(bytesOf(entries[name]), rng)) }, blame: name };
    },
  };
}

/**
 * One file of the form replaced by an entry that is no readable file, made from the file's name and bytes
 * (a link to itself, to a copy of it out of the folder).
 */
function replaced(
  form: DatasetForm,
  fault: string,
  entry: (name: string, bytes: Uint8Array) => Record<string, PlantedEntry>,
  hostOnly?: true,
): Fault {
  return {
    fault,
    form,
    ...(hostOnly ? { hostOnly } : {}),
    make: (rng) => {
      const entries = BASES[form]();
      const name = pickOne(rng, Object.keys(entries));
      return { entries: { ...entries, ...entry(name, bytesOf(entries[name])) }, blame: name };
    },
  };
}

const cut = (b: Uint8Array, rng: SeededRandom) => b.subarray(0, 1 + rng.int(Math.max(1, b.length - 2)));
const withByte = (at: number, value: number) => (b: Uint8Array) => {
  const copy = b.slice();
  copy[at] = value;
  return copy;
};

/** 16 MiB of zeros gzipped: made once, as it takes a second. */
let zeros: Uint8Array | undefined;

/** gzip members one after another unpack to their contents one after another: a small file, a big unpacking. */
function gzipBomb(head: Uint8Array): Uint8Array {
  const bomb = (zeros ??= gzipSync(new Uint8Array(16 * 2 ** 20), { level: 9 }));
  const members = [gzipSync(head), ...Array.from({ length: 5 }, () => bomb)];
  const out = new Uint8Array(members.reduce((n, m) => n + m.length, 0));
  let at = 0;
  for (const m of members) out.set(m, (at += m.length) - m.length);
  return out;
}

const note = (value: unknown): PlantedEntry => text(JSON.stringify(value));

/** A fault made of fixed entries over a base (no variation but the base's). */
function fixed(
  form: DatasetForm,
  fault: string,
  blame: string | null,
  change: (entries: Record<string, PlantedEntry>) => Record<string, PlantedEntry>,
  extra: { hostOnly?: true; trainCount?: number } = {},
): Fault {
  const { trainCount, hostOnly } = extra;
  return {
    fault,
    form,
    ...(hostOnly ? { hostOnly } : {}),
    make: () => ({ entries: change(BASES[form]()), blame, ...(trainCount ? { trainCount } : {}) }),
  };
}

const ti = IDX_FILES.trainImages;
const tl = IDX_FILES.trainLabels;
const si = IDX_FILES.testImages;
const sl = IDX_FILES.testLabels;

const FAULTS: readonly Fault[] = [
  // IDX files.
  damaged('idx', 'wrong magic number', withByte(0, 1)),
  damaged('idx', 'unknown element type', withByte(2, 0x0d)),
  damaged('idx', 'rank 0', withByte(3, 0)),
  damaged('idx', 'cut short', cut),
  damaged('idx', 'bytes past its data', (b) => Uint8Array.from([...b, 1, 2, 3])),
  damaged('idx', 'gzipped, then damaged', (b) => {
    const gz = gzipSync(b);
    return gz.map((v, i) => (i > 12 && i < gz.length - 8 ? v ^ 0x5a : v));
  }),
  fixed('idx', 'a label file of one label less', tl, (e) => ({
    ...e,
    [tl]: file(idxLabels([0, 1, 2, 0, 1])),
  })),
  fixed('idx', 'test images of another size', si, (e) => ({ ...e, [si]: file(idxImages(3, 5)) })),
  fixed('idx', 'images of rank 2', ti, (e) => ({ ...e, [ti]: file(encodeIdx([6, 16], pixels(6, 0))) })),
  fixed('idx', 'labels of rank 2', tl, (e) => ({
    ...e,
    [tl]: file(encodeIdx([6, 1], Uint8Array.from(TRAIN_LABELS))),
  })),
  fixed('idx', 'a gap in the labels', tl, (e) => ({ ...e, [tl]: file(idxLabels([0, 1, 5, 0, 1, 5])) })),
  fixed('idx', 'a test label no training image has', sl, (e) => ({ ...e, [sl]: file(idxLabels([3, 1, 0])) })),
  fixed('idx', 'no training images', tl, (e) => ({
    ...e,
    [ti]: file(idxImages(0)),
    [tl]: file(idxLabels([])),
  })),
  fixed('idx', 'a header announcing 10¹² bytes', ti, (e) => ({
    ...e,
    [ti]: file(encodeIdx([100_000, 4096, 4096], new Uint8Array(8))),
  })),
  fixed('idx', 'a gzip bomb behind a small header', `${ti}.gz`, ({ [ti]: images, ...e }) => ({
    ...e,
    [`${ti}.gz`]: file(gzipBomb(bytesOf(images))),
  })),
  fixed('idx', 'both a file and its .gz', ti, (e) => ({
    ...e,
    [`${ti}.gz`]: file(gzipSync(bytesOf(e[ti]))),
  })),
  fixed('idx', 'a folder where a file should be', tl, (e) => ({ ...e, [tl]: { folder: true } })),
  fixed(
    'idx',
    'classes in dataset.json fewer than the labels',
    tl,
    (e) => ({ ...e, 'dataset.json': note({ classes: ['a', 'b'] }) }),
    { hostOnly: true },
  ),
  fixed(
    'idx',
    'a shape in dataset.json the images do not have',
    'dataset.json',
    (e) => ({ ...e, 'dataset.json': note({ shape: [3, 4, 4] }) }),
    { hostOnly: true },
  ),
  fixed('idx', 'a CSV pair beside the IDX files', '', (e) => ({ ...e, ...csvBase() }), { hostOnly: true }),
  // Image folders.
  damaged('folder', 'not an image', () => strToU8('hello')),
  damaged('folder', 'a PNG cut short', cut),
  fixed('folder', 'an image of another size', 'train/b/1.png', (e) => ({
    ...e,
    'train/b/1.png': file(png(5)),
  })),
  fixed('folder', 'test images of another size than train', 'test/a/0.png', (e) => {
    const test = Object.keys(e).filter((k) => k.startsWith('test/'));
    return { ...e, ...Object.fromEntries(test.map((k) => [k, file(png(5))])) };
  }),
  fixed('folder', 'an empty class folder', 'train/c', (e) => ({
    ...Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('train/c/'))),
    'train/c': { folder: true },
  })),
  fixed('folder', 'one class', 'train', (e) =>
    Object.fromEntries(Object.entries(e).filter(([k]) => k.includes('/a/'))),
  ),
  fixed('folder', 'other classes in test/', 'test', (e) => ({ ...e, 'test/d/0.png': file(png()) })),
  fixed('folder', 'no test/', 'test', (e) =>
    Object.fromEntries(Object.entries(e).filter(([k]) => k.startsWith('train/'))),
  ),
  fixed('folder', 'a test/ without class folders', 'test', (e) => ({
    ...Object.fromEntries(Object.entries(e).filter(([k]) => k.startsWith('train/'))),
    test: { folder: true },
  })),
  fixed('folder', 'a PNG whose header says 20000×20000', 'train/a/1.png', (e) => {
    const big = png().slice();
    new DataView(big.buffer).setUint32(16, 20_000);
    new DataView(big.buffer).setUint32(20, 20_000);
    return { ...e, 'train/a/1.png': file(big) };
  }),
  fixed('folder', 'a 16-bit PNG', 'train/b/0.png', (e) => ({
    ...e,
    'train/b/0.png': file(png(SIDE, { depth: 16 })),
  })),
  fixed('folder', 'a JPEG cut short', 'train/c/0.jpg', (e) => ({
    ...e,
    'train/c/0.jpg': file(jpg(false).subarray(0, 200)),
  })),
  fixed('folder', 'a grey JPEG among grey PNGs', null, (e) => ({ ...e, 'train/a/2.jpg': file(jpg(false)) }), {
    trainCount: 7,
  }),
  fixed(
    'folder',
    'a colour JPEG among grey PNGs',
    null,
    (e) => ({ ...e, 'train/a/2.jpg': file(jpg(true)) }),
    { trainCount: 7 },
  ),
  fixed(
    'folder',
    'an RGB PNG in test/ only',
    null,
    (e) => ({ ...e, 'test/b/0.png': file(png(SIDE, { channels: 3 })) }),
    { trainCount: 6 },
  ),
  fixed(
    'folder',
    'classes in dataset.json other than the folders',
    'dataset.json',
    (e) => ({ ...e, 'dataset.json': note({ classes: ['x', 'y', 'z'] }) }),
    { hostOnly: true },
  ),
  fixed(
    'folder',
    'a class folder linked from outside',
    'train/c',
    (e) => ({
      ...Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('train/c/'))),
      'train/c': { link: '../outside-class' },
      '../outside-class/0.png': e['train/c/0.png']!,
      '../outside-class/1.png': e['train/c/1.png']!,
    }),
    { hostOnly: true },
  ),
  // CSVs.
  ...['x', '1e2', '0x10', '256', '-1', '', '3.5'].map((cell) =>
    fixed('csv', `a cell "${cell}"`, 'train.csv', (e) => ({
      ...e,
      'train.csv': text(csv(TRAIN_LABELS).replace(/\n1,(\d+),/, `\n1,${cell},`)),
    })),
  ),
  fixed('csv', 'a label "-1"', 'test.csv', (e) => ({
    ...e,
    'test.csv': text(csv(TEST_LABELS).replace(/\n1,/, '\n-1,')),
  })),
  fixed('csv', 'a short row in test.csv', 'test.csv', (e) => ({
    ...e,
    'test.csv': text(`${csv(TEST_LABELS)}1,2,3\n`),
  })),
  fixed('csv', 'an empty train.csv', 'train.csv', (e) => ({ ...e, 'train.csv': text('') })),
  fixed('csv', 'a test.csv with its header only', 'test.csv', (e) => ({
    ...e,
    'test.csv': text('label,p0\n'),
  })),
  fixed('csv', 'a gap in the labels', 'train.csv', (e) => ({
    ...e,
    'train.csv': text(csv([0, 1, 5, 0, 1, 5])),
  })),
  fixed('csv', 'a test label no training image has', 'test.csv', (e) => ({
    ...e,
    'test.csv': text(csv([3, 1, 0])),
  })),
  fixed('csv', 'rows of 15 pixels, not a square', 'train.csv', () => ({
    'train.csv': text(csvRows(TRAIN_LABELS, 15).join('\n')),
    'test.csv': text(csvRows(TEST_LABELS, 15).join('\n')),
  })),
  fixed('csv', 'bytes that are not text', 'train.csv', (e) => ({
    ...e,
    'train.csv': file(Uint8Array.from({ length: 300 }, (_, i) => (i * 97) % 256)),
  })),
  fixed(
    'csv',
    'a byte-order mark and CRLF lines',
    null,
    (e) => ({ ...e, 'train.csv': text(`\uFEFF${csvRows(TRAIN_LABELS).join('\r\n')}\r\n`) }),
    { trainCount: 6 },
  ),
  fixed(
    'csv',
    'a dataset.json with a byte-order mark',
    null,
    (e) => ({ ...e, 'dataset.json': text(`\uFEFF${JSON.stringify({ classes: CLASSES })}`) }),
    { hostOnly: true, trainCount: 6 },
  ),
  fixed(
    'csv',
    'a shape in dataset.json the rows do not have',
    'train.csv',
    (e) => ({ ...e, 'dataset.json': note({ shape: [1, 5, 5] }) }),
    { hostOnly: true },
  ),
  fixed(
    'csv',
    'a dataset.json that is not JSON',
    'dataset.json',
    (e) => ({ ...e, 'dataset.json': text('{classes: [a, b]') }),
    { hostOnly: true },
  ),
  fixed(
    'csv',
    'a dataset.json with a shape of 0',
    'dataset.json',
    (e) => ({ ...e, 'dataset.json': note({ shape: [1, 0, 4] }) }),
    { hostOnly: true },
  ),
  fixed(
    'csv',
    'a dataset.json that is a folder',
    'dataset.json',
    (e) => ({ ...e, 'dataset.json': { folder: true } }),
    { hostOnly: true },
  ),
  // Files that are no files: a pipe, a device, links that lead nowhere, in circles or out of the folder.
  ...(['idx', 'folder', 'csv'] as const).flatMap((form) => [
    replaced(form, 'a named pipe', (name) => ({ [name]: { fifo: true } })),
    replaced(form, 'a link to /dev/zero', (name) => ({ [name]: { link: '/dev/zero' } })),
    replaced(form, 'a link to nothing', (name) => ({ [name]: { link: 'nowhere' } })),
    replaced(form, 'a link to itself', (name) => ({ [name]: { link: name } })),
    // The CLI follows it (the user's own link); the hosts serve only what lies in the dataset's folder.
    replaced(
      form,
      'a link out of the folder',
      (name, bytes) => ({ [name]: { link: '../outside' }, '../outside': file(bytes) }),
      true,
    ),
  ]),
];

/** Every fault once (seed 0 picks the first variation of each): the fixed set the test runs. */
export function badDatasets(): PlantedDataset[] {
  return FAULTS.map((_, i) => badDataset(i, 0));
}

/** How many kinds of fault there are; `npm run fuzz` cycles through them with varied seeds. */
export const DATASET_FAULTS = FAULTS.length;

/** The fault numbered `index`, its variation (which file, where cut) drawn from `seed`. */
export function badDataset(index: number, seed: number): PlantedDataset {
  const fault = FAULTS[index % FAULTS.length]!;
  const made = fault.make(new SeededRandom(seed));
  return {
    fault: fault.fault,
    form: fault.form,
    ...made,
    ...(fault.hostOnly ? { hostOnly: true as const } : {}),
  };
}
