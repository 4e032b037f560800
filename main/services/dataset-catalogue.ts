import { join, sep } from 'node:path';
import { decodeCsv } from '../../shared/data/csv.ts';
import {
  datasetError,
  FASHION_MNIST_CLASSES,
  type Dataset,
  type DatasetError,
} from '../../shared/data/dataset.ts';
import { maybeGunzip } from '../../shared/data/gzip.ts';
import {
  checkedDataset,
  IDX_FILES,
  idxDataset,
  numberedClasses,
  type IdxFiles,
} from '../../shared/data/idx-dataset.ts';
import { decodeImageFolders, type ClassFolder } from '../../shared/data/image-folder.ts';
import { failure, success, type Result } from '../../shared/result.ts';
import type { DatasetOffer } from '../../shared/api/designer-api.ts';
import type { FileSystem } from './file-system.ts';

/** A dataset the app may train on, as the host offers it: its figures, or why it cannot be used. */
export type OfferedDataset = DatasetOffer;

/** A user dataset's id is its folder's name: letters, digits, spaces, - and _ only. */
const DATASET_ID = /^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$/;

const FASHION_MNIST_OFFER = {
  id: 'fashion-mnist',
  name: 'Fashion-MNIST',
  shape: [1, 28, 28] as [number, number, number],
  classes: FASHION_MNIST_CLASSES,
  train: 60_000,
  test: 10_000,
};

/** The URL path under which both hosts serve dataset files: /datasets/<id>/<file>. */
export const DATASET_ROUTE = 'datasets';

/** Where Debian's dataset-fashion-mnist package puts the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export type DatasetSpec =
  | { kind: 'fashion-mnist' }
  /** A folder with the four MNIST-style files (train-images-idx3-ubyte[.gz], …). */
  | { kind: 'idx'; dir: string; classes?: string[] }
  /** A folder with train/ and test/, each holding one sub-folder of PNG or JPEG images per class. */
  | { kind: 'folder'; dir: string }
  /** Two CSV files (label, then pixels), images of the given C×H×W. */
  | { kind: 'csv'; train: string; test: string; shape: [number, number, number]; classes?: string[] };

/** Parses the CLI's --dataset: fashion-mnist, idx:DIR, folder:DIR or csv:TRAIN,TEST@CxHxW. */
export function parseDatasetSpec(text: string): DatasetSpec | null {
  if (text === 'fashion-mnist') return { kind: 'fashion-mnist' };
  const [kind, rest = ''] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
  if (kind === 'idx' && rest) return { kind: 'idx', dir: rest };
  if (kind === 'folder' && rest) return { kind: 'folder', dir: rest };
  const csv = /^(.+),(.+)@(\d+)x(\d+)x(\d+)$/.exec(rest);
  if (kind === 'csv' && csv)
    return {
      kind: 'csv',
      train: csv[1]!,
      test: csv[2]!,
      shape: [Number(csv[3]), Number(csv[4]), Number(csv[5])],
    };
  return null;
}

/** Finds and reads datasets: Fashion-MNIST from Debian's package without configuration, or the user's files. */
export class DatasetCatalogue {
  constructor(
    private readonly fs: FileSystem,
    private readonly fashionMnistDir = FASHION_MNIST_DIR,
    /** Where the user's own datasets live (one MNIST-style folder each), offered to the app. */
    private readonly userFolder: string | null = null,
  ) {}

  /**
   * The datasets the app may train on: Fashion-MNIST, and each MNIST-style folder in the user's datasets
   * folder (its name is its id; a symbolic link leading out of the folder is not offered). A folder that
   * does not read is listed with its problem, so the user sees why.
   */
  async offered(): Promise<OfferedDataset[]> {
    const list: OfferedDataset[] = [FASHION_MNIST_OFFER];
    const root = this.userFolder && (await this.fs.realPath(this.userFolder));
    if (!root) return list;
    for (const entry of await this.fs.listDir(root)) {
      const dir = entry.isDirectory ? await this.userDatasetDir(entry.name) : null;
      if (!dir) continue;
      const data = await this.loadIdx(dir, entry.name);
      list.push(
        data.ok
          ? {
              id: entry.name,
              name: entry.name,
              shape: data.value.shape,
              classes: data.value.classes,
              train: data.value.train.count,
              test: data.value.test.count,
            }
          : { id: entry.name, name: entry.name, problem: data.error.message },
      );
    }
    return list;
  }

  /**
   * The file behind a URL path /datasets/<id>/<file>, which both hosts serve to the training worker: only a
   * catalogue dataset's own files, by their exact names; null for anything else.
   */
  async servedPath(urlPath: string): Promise<string | null> {
    const parts = urlPath.split('/');
    if (parts.length !== 4 || parts[0] !== '' || parts[1] !== DATASET_ROUTE) return null;
    try {
      // Ids may hold spaces: the URL carries them encoded.
      return await this.servedFile(decodeURIComponent(parts[2]!), decodeURIComponent(parts[3]!));
    } catch {
      return null;
    }
  }

  private async servedFile(id: string, name: string): Promise<string | null> {
    const allowed = Object.values(IDX_FILES).flatMap((stem) => [stem, `${stem}.gz`]);
    if (!allowed.includes(name as (typeof allowed)[number])) return null;
    const dir = id === FASHION_MNIST_OFFER.id ? this.fashionMnistDir : await this.userDatasetDir(id);
    const path = dir && join(dir, name);
    return path && (await this.fs.exists(path)) ? path : null;
  }

  /** A user dataset's folder by its id, only when it really lies in the user's datasets folder. */
  private async userDatasetDir(id: string): Promise<string | null> {
    if (!this.userFolder || !DATASET_ID.test(id)) return null;
    const root = await this.fs.realPath(this.userFolder);
    const dir = root && (await this.fs.realPath(join(root, id)));
    return root && dir?.startsWith(root + sep) ? dir : null;
  }

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
        return this.loadIdx(spec.dir, spec.dir, spec.classes);
      case 'folder':
        return this.loadFolder(spec.dir);
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
        return success({ path, bytes: maybeGunzip(await this.fs.readBytes(path)) });
      } catch (e) {
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

  private async loadFolder(dir: string): Promise<Result<Dataset, DatasetError>> {
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
      { name: dir, classes: train.classes, shape: train.shape, train: train.set, test: test.set },
      { train: join(dir, 'train'), test: join(dir, 'test') },
      false,
    );
  }

  private async loadCsv(spec: Extract<DatasetSpec, { kind: 'csv' }>): Promise<Result<Dataset, DatasetError>> {
    const pixels = spec.shape[0] * spec.shape[1] * spec.shape[2];
    const read = async (path: string) =>
      (await this.fs.exists(path))
        ? decodeCsv(await this.fs.readText(path), path, pixels)
        : failure(datasetError('notFound', path, 'file not found.'));
    const train = await read(spec.train);
    if (!train.ok) return train;
    const test = await read(spec.test);
    if (!test.ok) return test;
    return checkedDataset(
      {
        name: spec.train,
        classes: spec.classes ?? numberedClasses(train.value, test.value),
        shape: spec.shape,
        train: train.value,
        test: test.value,
      },
      { train: spec.train, test: spec.test },
      !spec.classes,
    );
  }
}
