import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { decodeCsv } from '../../shared/data/csv.ts';
import {
  datasetError,
  FASHION_MNIST_CLASSES,
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
import { decodeImageFolders, type ClassFolder } from '../../shared/data/image-folder.ts';
import { failure, success, type Result } from '../../shared/result.ts';
import type { FileSystem } from './file-system.ts';

/** Node's native gunzip, stopped by zlib itself at the limit. */
const zlibGunzip: Gunzip = async (bytes, limit) => {
  try {
    return new Uint8Array(await promisify(gunzip)(bytes, { maxOutputLength: limit }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new UnpackedTooLarge(limit);
    throw e;
  }
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
  const rows = text.split(/\r?\n/, 3).filter((l) => l.trim() !== '');
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

/** Reads datasets from disk: Fashion-MNIST from Debian's package without configuration, or the user's files. */
export class DatasetReader {
  constructor(
    private readonly fs: FileSystem,
    private readonly fashionMnistDir = FASHION_MNIST_DIR,
  ) {}

  async load(spec: DatasetSpec): Promise<Result<Dataset, DatasetError>> {
    switch (spec.kind) {
      case 'fashion-mnist': {
        const found = await this.loadIdx(this.fashionMnistDir, 'Fashion-MNIST', FASHION_MNIST_CLASSES);
        if (found.ok || found.error.kind !== 'notFound') return found;
        return failure({
          ...found.error,
          message: `${found.error.message} Install it with: sudo apt-get install dataset-fashion-mnist`,
        });
      }
      case 'idx':
        return this.loadIdx(spec.dir, spec.name ?? spec.dir, spec.classes);
      case 'folder':
        return this.loadFolder(spec);
      case 'csv':
        return this.loadCsv(spec);
    }
  }

  private async readFirst(
    dir: string,
    stem: string,
  ): Promise<Result<{ path: string; bytes: Uint8Array }, DatasetError>> {
    for (const name of [stem, `${stem}.gz`]) {
      const path = join(dir, name);
      if (!(await this.fs.exists(path))) continue;
      try {
        return success({ path, bytes: await maybeGunzip(await this.fs.readBytes(path), zlibGunzip) });
      } catch (e) {
        if (e instanceof UnpackedTooLarge)
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
    return failure(datasetError('notFound', join(dir, stem), 'not found (nor .gz).'));
  }

  private async loadIdx(
    dir: string,
    name: string,
    classes?: string[],
  ): Promise<Result<Dataset, DatasetError>> {
    const files: Partial<IdxFiles> = {};
    for (const [key, stem] of Object.entries(IDX_FILES) as [keyof IdxFiles, string][]) {
      const read = await this.readFirst(dir, stem);
      if (!read.ok) return read;
      files[key] = read.value;
    }
    return idxDataset(files as IdxFiles, name, classes);
  }

  private async readClassFolders(dir: string): Promise<Result<ClassFolder[], DatasetError>> {
    if (!(await this.fs.exists(dir)))
      return failure(
        datasetError(
          'notFound',
          dir,
          'folder not found (expected train/ and test/, each with one folder per class).',
        ),
      );
    const entries = (await this.fs.listDir(dir))
      .filter((e) => e.isDirectory)
      .sort((a, b) => a.name.localeCompare(b.name));
    const folders: ClassFolder[] = [];
    for (const e of entries) {
      const path = join(dir, e.name);
      const names = (await this.fs.listDir(path)).filter(
        (f) => !f.isDirectory && /\.(png|jpe?g)$/i.test(f.name),
      );
      const files = await Promise.all(
        names.map(async (f) => ({
          path: join(path, f.name),
          bytes: await this.fs.readBytes(join(path, f.name)),
        })),
      );
      folders.push({ name: e.name, path, files });
    }
    return success(folders);
  }

  private async loadFolder({
    dir,
    name,
  }: Extract<DatasetSpec, { kind: 'folder' }>): Promise<Result<Dataset, DatasetError>> {
    const sets = [];
    for (const part of ['train', 'test']) {
      const folders = await this.readClassFolders(join(dir, part));
      if (!folders.ok) return folders;
      const decoded = decodeImageFolders(folders.value);
      if (!decoded.ok) return decoded;
      sets.push(decoded.value);
    }
    const [train, test] = sets as [(typeof sets)[0], (typeof sets)[0]];
    if (train.classes.join('\n') !== test.classes.join('\n')) {
      return failure(
        datasetError(
          'countMismatch',
          join(dir, 'test'),
          `has classes ${test.classes.join(', ')} but train/ has ${train.classes.join(', ')}.`,
        ),
      );
    }
    if (train.shape.join() !== test.shape.join())
      return failure(
        datasetError(
          'unreadableImage',
          join(dir, 'test'),
          'its images differ in size or colour from train/.',
        ),
      );
    return checkedDataset(
      { name: name ?? dir, classes: train.classes, shape: train.shape, train: train.set, test: test.set },
      { train: join(dir, 'train'), test: join(dir, 'test') },
      false,
    );
  }

  private async loadCsv(spec: Extract<DatasetSpec, { kind: 'csv' }>): Promise<Result<Dataset, DatasetError>> {
    const read = async (path: string) =>
      (await this.fs.exists(path))
        ? success(await this.fs.readText(path))
        : failure(datasetError('notFound', path, 'file not found.'));
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
        classes: spec.classes ?? numberedClasses(train.value, test.value),
        shape: shape.value,
        train: train.value,
        test: test.value,
      },
      { train: spec.train, test: spec.test },
      !spec.classes,
    );
  }
}
