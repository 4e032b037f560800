import { join, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { decodeCsv } from '../../shared/data/csv.ts';
import {
  datasetError,
  FASHION_MNIST_CLASSES,
  MAX_DECODED_BYTES,
  type Dataset,
  type DatasetError,
} from '../../shared/data/dataset.ts';
import { maybeGunzip, UnpackedTooLarge, type Gunzip } from '../../shared/data/gzip.ts';
import {
  checkedDataset,
  IDX_FILES,
  idxDataset,
  numberedClasses,
  type IdxFiles,
} from '../../shared/data/idx-dataset.ts';
import {
  asColour,
  decodeImageFolders,
  type ClassFolder,
  type DecodedImages,
} from '../../shared/data/image-folder.ts';
import { withoutByteOrderMark } from '../../shared/data/csv.ts';
import { failure, success, type Result } from '../../shared/result.ts';
import type { FileSystem } from './file-system.ts';

/** The bytes an IDX file's header says the file has (header included), once its header is there. */
function announcedBytes(head: Buffer): number | null {
  const [zero, alsoZero, type, rank = 0] = head;
  const width = { 0x08: 1, 0x0b: 2, 0x0c: 4 }[type ?? 0];
  // Not an IDX header (decodeIdx says why), or not all there yet.
  if (zero !== 0 || alsoZero !== 0 || !width || rank === 0 || head.length < 4 + 4 * rank) return null;
  let size = width;
  for (let i = 0; i < rank; i++) size *= head.readUInt32BE(4 + 4 * i);
  return 4 + 4 * rank + size;
}

const MAX_IDX_HEADER = 4 + 4 * 255;

class UnpackedPastHeader extends Error {
  constructor(readonly announced: number) {
    super(`it unpacks to more than the ${announced} bytes its IDX header announces`);
  }
}

/**
 * Node's native gunzip, streamed and stopped at the limit, or as soon as the output passes what the IDX
 * header it begins with announces: a gzip bomb behind a small header costs what the header says (it
 * unpacked to the whole limit, 1 GiB, first).
 */
const zlibGunzip: Gunzip = async (bytes, limit) => {
  const chunks: Buffer[] = [];
  let [size, bound] = [0, limit];
  const unpacking = createGunzip({ chunkSize: 1 << 20 });
  unpacking.end(bytes);
  try {
    for await (const chunk of unpacking as AsyncIterable<Buffer>) {
      // The header is read once its longest (rank 255) can be there, or the file ended before.
      if (size < MAX_IDX_HEADER && size + chunk.length >= MAX_IDX_HEADER)
        bound = Math.min(limit, announcedBytes(Buffer.concat([...chunks, chunk])) ?? limit);
      chunks.push(chunk);
      size += chunk.length;
      if (size > bound) throw bound < limit ? new UnpackedPastHeader(bound) : new UnpackedTooLarge(limit);
    }
  } finally {
    unpacking.destroy();
  }
  return new Uint8Array(Buffer.concat(chunks));
};

/** Where Debian's dataset-fashion-mnist package puts the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

type Shape = [number, number, number];

/** A dataset on disk; `name` is how messages and the run record call it (its folder, by default). */
export type DatasetSpec =
  | { kind: 'fashion-mnist' }
  /** A folder with the four MNIST-style files (train-images-idx3-ubyte[.gz], …). */
  | { kind: 'idx'; dir: string; name?: string; classes?: string[] }
  /** A folder with train/ and test/, each holding one sub-folder of PNG or JPEG images per class. */
  | { kind: 'folder'; dir: string; name?: string }
  /** Two CSV files (label, then pixels); C×H×W given, or read from the pixel count (square, grey or RGB). */
  | { kind: 'csv'; train: string; test: string; name?: string; shape?: Shape; classes?: string[] };

/** Parses the CLI's --dataset: fashion-mnist, idx:DIR, folder:DIR or csv:TRAIN,TEST[@CxHxW]. */
export function parseDatasetSpec(text: string): DatasetSpec | null {
  if (text === 'fashion-mnist') return { kind: 'fashion-mnist' };
  const [kind, rest = ''] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
  if (kind === 'idx' && rest) return { kind: 'idx', dir: rest };
  if (kind === 'folder' && rest) return { kind: 'folder', dir: rest };
  const csv = /^([^,]+),(.+?)(?:@(\d+)x(\d+)x(\d+))?$/.exec(rest);
  if (kind !== 'csv' || !csv) return null;
  const spec: DatasetSpec = { kind: 'csv', train: csv[1]!, test: csv[2]! };
  return csv[3] ? { ...spec, shape: [Number(csv[3]), Number(csv[4]), Number(csv[5])] } : spec;
}

/**
 * A CSV's image shape from its pixel count: a square grey image (784 → 1×28×28), else a square RGB one
 * (3,072 → 3×32×32); anything else must be given.
 */
export function csvImageShape(text: string, file: string): Result<Shape, DatasetError> {
  const rows = withoutByteOrderMark(text)
    .split(/\r?\n/, 3)
    .filter((l) => l.trim() !== '');
  const row = rows.find((r) => !Number.isNaN(Number(r.split(',')[0])));
  const pixels = row ? row.split(',').length - 1 : 0;
  for (const channels of [1, 3]) {
    const side = Math.round(Math.sqrt(pixels / channels));
    if (pixels > 0 && side * side * channels === pixels) return success([channels, side, side]);
  }
  return failure(
    datasetError(
      'badCsv',
      file,
      `its rows have ${pixels} pixels, not a square grey or RGB image: give the shape (csv:TRAIN,TEST@CxHxW, or "shape" in dataset.json).`,
    ),
  );
}

/**
 * Where a dataset's files may lie: anywhere its links lead (the CLI: the user's own links), or only in its
 * folder (`confinedTo`, real path: the hosts serve what the page asks for, and follow no link out).
 */
export interface ReadScope {
  confinedTo?: string;
}

/** A dataset's path, its links followed: a file or a folder that may be read. */
interface Entry {
  kind: 'file' | 'folder';
  bytes: number;
  real: string;
}

/** Reads datasets from disk: Fashion-MNIST from Debian's package without configuration, or the user's files. */
export class DatasetReader {
  constructor(
    private readonly fs: FileSystem,
    private readonly fashionMnistDir = FASHION_MNIST_DIR,
  ) {}

  async load(spec: DatasetSpec, scope: ReadScope = {}): Promise<Result<Dataset, DatasetError>> {
    switch (spec.kind) {
      case 'fashion-mnist': {
        const found = await this.loadIdx(this.fashionMnistDir, 'Fashion-MNIST', scope, FASHION_MNIST_CLASSES);
        if (found.ok || found.error.kind !== 'notFound') return found;
        return failure({
          ...found.error,
          message: `${found.error.message} Install it with: sudo apt-get install dataset-fashion-mnist`,
        });
      }
      case 'idx':
        return this.loadIdx(spec.dir, spec.name ?? spec.dir, scope, spec.classes);
      case 'folder':
        return this.loadFolder(spec, scope);
      case 'csv':
        return this.loadCsv(spec, scope);
    }
  }

  /**
   * What a dataset's path leads to, checked before anything is read from it: a pipe never ends and
   * /dev/zero never stops (the host stopped answering), a link may lead nowhere, or out of the folder.
   * Every refusal names the path as the dataset has it.
   */
  private async entry(path: string, scope: ReadScope): Promise<Result<Entry, DatasetError>> {
    const here = await this.fs.entryKind(path);
    if (!here) return failure(datasetError('notFound', path, 'not found.'));
    // Only a link needs resolving: the folders on the way were checked as they were entered.
    const real = here.kind === 'link' ? await this.fs.realPath(path) : path;
    if (!real)
      return failure(
        datasetError(
          'unreadable',
          path,
          'is a symbolic link that leads nowhere (to nothing, or round to itself).',
        ),
      );
    const root = scope.confinedTo;
    if (root && real !== root && !real.startsWith(root + sep))
      return failure(
        datasetError(
          'unreadable',
          path,
          "is a link out of the dataset's folder; Blockwise reads only what lies in it: copy it in instead.",
        ),
      );
    const target = here.kind === 'link' ? await this.fs.entryKind(real) : here;
    if (target?.kind !== 'file' && target?.kind !== 'folder')
      return failure(
        datasetError('unreadable', path, 'is not a file or a folder (a pipe, a device or a socket).'),
      );
    return success({ kind: target.kind, bytes: target.bytes, real });
  }

  /** A dataset's file, whole, when it is one of at most MAX_DECODED_BYTES; else why not, naming it. */
  async readFile(path: string, scope: ReadScope): Promise<Result<Uint8Array, DatasetError>> {
    const found = await this.entry(path, scope);
    if (!found.ok) return found;
    if (found.value.kind === 'folder')
      return failure(datasetError('unreadable', path, 'is a folder where a file should be.'));
    if (found.value.bytes > MAX_DECODED_BYTES)
      return failure(
        datasetError(
          'tooLarge',
          path,
          `is larger than ${MAX_DECODED_BYTES / 2 ** 30} GiB, more than a dataset file may be.`,
        ),
      );
    try {
      return success(await this.fs.readBytes(found.value.real));
    } catch (e) {
      return failure(datasetError('unreadable', path, `could not be read (${(e as Error).message}).`));
    }
  }

  /** The file a dataset names by its stem, gzipped or not (never both: which one did the user mean?), unpacked. */
  private async readIdxFile(
    dir: string,
    stem: string,
    scope: ReadScope,
  ): Promise<Result<{ path: string; bytes: Uint8Array }, DatasetError>> {
    const [raw, gz] = [join(dir, stem), join(dir, `${stem}.gz`)];
    const present = [];
    for (const path of [raw, gz]) if (await this.fs.entryKind(path)) present.push(path);
    if (present.length === 0) return failure(datasetError('notFound', raw, 'not found (nor .gz).'));
    if (present.length === 2)
      return failure(
        datasetError('ambiguous', raw, `and ${stem}.gz are both here: keep the one this dataset should use.`),
      );
    const path = present[0]!;
    const read = await this.readFile(path, scope);
    if (!read.ok) return read;
    try {
      return success({ path, bytes: await maybeGunzip(read.value, zlibGunzip) });
    } catch (e) {
      if (e instanceof UnpackedTooLarge || e instanceof UnpackedPastHeader)
        return failure(datasetError('tooLarge', path, `${e.message}. Is it really an IDX file?`));
      return failure(
        datasetError(
          'truncated',
          path,
          `is not a readable gzip file (${(e as Error).message}): it is damaged or cut short; copy or download it again.`,
        ),
      );
    }
  }

  private async loadIdx(
    dir: string,
    name: string,
    scope: ReadScope,
    classes?: string[],
  ): Promise<Result<Dataset, DatasetError>> {
    const files: Partial<IdxFiles> = {};
    for (const [key, stem] of Object.entries(IDX_FILES) as [keyof IdxFiles, string][]) {
      const read = await this.readIdxFile(dir, stem, scope);
      if (!read.ok) return read;
      files[key] = read.value;
    }
    return idxDataset(files as IdxFiles, name, classes);
  }

  /** The folders in a folder (links followed, within the scope), by name; a path that is none is named. */
  private async subfolders(
    dir: string,
    scope: ReadScope,
  ): Promise<Result<{ name: string; path: string; real: string }[], DatasetError>> {
    const found = await this.entry(dir, scope);
    if (!found.ok) return found;
    if (found.value.kind !== 'folder')
      return failure(datasetError('unreadable', dir, 'is a file where a folder should be.'));
    const folders = [];
    for (const e of await this.fs.listDir(found.value.real)) {
      const path = join(dir, e.name);
      const kind = e.isDirectory ? 'folder' : (await this.fs.entryKind(path))?.kind;
      if (kind !== 'folder' && kind !== 'link') continue;
      const inner = kind === 'link' ? await this.entry(path, scope) : null;
      if (inner && !inner.ok) return inner;
      if (!inner) folders.push({ name: e.name, path, real: join(found.value.real, e.name) });
      else if (inner.value.kind === 'folder') folders.push({ name: e.name, path, real: inner.value.real });
    }
    return success(folders.sort((a, b) => a.name.localeCompare(b.name)));
  }

  /**
   * One split's class folders and their PNG and JPEG files, read one after another; past MAX_DECODED_BYTES
   * read together the file that passes it is named (a folder of 100,000 photos would fill the memory).
   */
  private async readClassFolders(
    dir: string,
    scope: ReadScope,
  ): Promise<Result<ClassFolder[], DatasetError>> {
    if (!(await this.fs.entryKind(dir)))
      return failure(
        datasetError(
          'notFound',
          dir,
          'folder not found (expected train/ and test/, each with one folder per class).',
        ),
      );
    const classes = await this.subfolders(dir, scope);
    if (!classes.ok) return classes;
    const folders: ClassFolder[] = [];
    let total = 0;
    for (const { name, path, real } of classes.value) {
      const files = [];
      const names = (await this.fs.listDir(real))
        .filter((f) => !f.isDirectory && /\.(png|jpe?g)$/i.test(f.name))
        .map((f) => f.name)
        .sort();
      for (const file of names) {
        const bytes = await this.readFile(join(path, file), scope);
        if (!bytes.ok) return bytes;
        total += bytes.value.length;
        if (total > MAX_DECODED_BYTES)
          return failure(
            datasetError(
              'tooLarge',
              join(path, file),
              `the images up to this one are more than ${MAX_DECODED_BYTES / 2 ** 30} GiB, more than a dataset may be: use fewer or smaller images.`,
            ),
          );
        files.push({ path: join(path, file), bytes: bytes.value });
      }
      folders.push({ name, path, files });
    }
    return success(folders);
  }

  private async loadFolder(
    { dir, name }: Extract<DatasetSpec, { kind: 'folder' }>,
    scope: ReadScope,
  ): Promise<Result<Dataset, DatasetError>> {
    const [trainDir, testDir] = [join(dir, 'train'), join(dir, 'test')];
    const trainFolders = await this.readClassFolders(trainDir, scope);
    if (!trainFolders.ok) return trainFolders;
    const trained = decodeImageFolders(trainFolders.value, trainDir);
    if (!trained.ok) return trained;
    const testFolders = await this.readClassFolders(testDir, scope);
    if (!testFolders.ok) return testFolders;
    const [, height, width] = trained.value.shape;
    const tested = decodeImageFolders(testFolders.value, testDir, {
      width,
      height,
      what: 'the training images',
    });
    if (!tested.ok) return tested;
    const [train, test] = sameChannels(trained.value, tested.value);
    if (train.classes.join('\n') !== test.classes.join('\n')) {
      return failure(
        datasetError(
          'countMismatch',
          testDir,
          `has classes ${test.classes.join(', ')} but train/ has ${train.classes.join(', ')}.`,
        ),
      );
    }
    return checkedDataset(
      { name: name ?? dir, classes: train.classes, shape: train.shape, train: train.set, test: test.set },
      { train: trainDir, test: testDir },
      false,
    );
  }

  private async loadCsv(
    spec: Extract<DatasetSpec, { kind: 'csv' }>,
    scope: ReadScope,
  ): Promise<Result<Dataset, DatasetError>> {
    const read = async (path: string) => {
      const bytes = await this.readFile(path, scope);
      return bytes.ok ? success(new TextDecoder().decode(bytes.value)) : bytes;
    };
    const trainText = await read(spec.train);
    if (!trainText.ok) return trainText;
    const shape = spec.shape ? success(spec.shape) : csvImageShape(trainText.value, spec.train);
    if (!shape.ok) return shape;
    const pixels = shape.value[0] * shape.value[1] * shape.value[2];
    const train = decodeCsv(trainText.value, spec.train, pixels);
    if (!train.ok) return train;
    const testText = await read(spec.test);
    if (!testText.ok) return testText;
    const test = decodeCsv(testText.value, spec.test, pixels);
    if (!test.ok) return test;
    return checkedDataset(
      {
        name: spec.name ?? spec.train,
        classes: spec.classes ?? numberedClasses(train.value),
        shape: shape.value,
        train: train.value,
        test: test.value,
      },
      { train: spec.train, test: spec.test },
      !spec.classes,
    );
  }
}

/** Both splits grey, or both in colour: a split of grey images beside one with colour is made colour. */
function sameChannels(train: DecodedImages, test: DecodedImages): [DecodedImages, DecodedImages] {
  if (train.shape[0] === test.shape[0]) return [train, test];
  return train.shape[0] === 1 ? [asColour(train), test] : [train, asColour(test)];
}
