import { HostRefusal } from '../../shared/api/designer-calls.ts';
import { issuesProblem } from '../../shared/layers/param-words.ts';
import { basename, dirname, join, sep } from 'node:path';
import { z } from 'zod';
import {
  CLASS_NAMES_FILE,
  datasetError,
  FASHION_MNIST_CLASSES,
  type Dataset,
  type DatasetError,
} from '../../shared/data/dataset.ts';
import { encodeIdx, encodeImagesIdx } from '../../shared/data/idx.ts';
import { IDX_FILES } from '../../shared/data/idx-dataset.ts';
import { failure, success, type Result } from '../../shared/result.ts';
import type { DatasetOffer } from '../../shared/api/designer-api.ts';
import { readStateFile, type FileSystem } from './file-system.ts';
import { DatasetReader, FASHION_MNIST_DIR, type DatasetSpec } from './dataset-reader.ts';
import { withoutByteOrderMark } from '../../shared/data/csv.ts';

export { FASHION_MNIST_DIR, parseDatasetSpec, type DatasetSpec } from './dataset-reader.ts';

/** A dataset the app may train on, as the host offers it: its figures, or why it cannot be used. */
export type OfferedDataset = DatasetOffer;

/** A user dataset's id: letters, digits, spaces, - and _ only (a folder's name, or made from one). */
const DATASET_ID = /^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$/;

const FASHION_MNIST_ID = 'fashion-mnist';

const FASHION_MNIST_OFFER = {
  id: FASHION_MNIST_ID,
  name: 'Fashion-MNIST',
  shape: [1, 28, 28] as [number, number, number],
  classes: FASHION_MNIST_CLASSES,
  train: 60_000,
  test: 10_000,
};

/** The URL path under which both hosts serve dataset files: /datasets/<id>/<file>. */
export const DATASET_ROUTE = 'datasets';

/** What a dataset folder may say about itself: its class names, and a CSV's image shape. */
const DATASET_NOTE = 'dataset.json';
/** The largest image side a CSV's dataset.json may state (ImageNet-sized nets take 224; this leaves room). */
const MAX_IMAGE_SIDE = 4096;
const side = z.number().int().min(1).max(MAX_IMAGE_SIDE);
const datasetNoteSchema = z.object({
  classes: z.array(z.string().max(200)).min(1).max(256).optional(),
  shape: z.tuple([z.number().int().min(1).max(4), side, side]).optional(),
});

/** How many folders the user may add from elsewhere; one more is refused with what to do, never dropped. */
export const MAX_ADDED_DATASETS = 1000;
/** Folders the user added from elsewhere (a dialog, or a typed path in browser mode), by the id given them. */
const addedListSchema = z
  .array(z.object({ id: z.string().regex(DATASET_ID), dir: z.string() }))
  .max(MAX_ADDED_DATASETS);

export interface CatalogueFolders {
  fashionMnistDir?: string;
  /** Where the user's own datasets live, one folder each (its name is its id). */
  userFolder?: string | null;
  /** The file that keeps the folders added from elsewhere. */
  addedList?: string | null;
}

interface UserDataset {
  id: string;
  dir: string;
  /** From the list of folders added from elsewhere (not the datasets folder). */
  added?: true;
}

/**
 * The datasets the app may train on, and the only files the hosts serve to the training worker: Fashion-MNIST,
 * each dataset folder in the user's datasets folder, and the folders the user added. Any of the CLI's kinds of
 * dataset (IDX files, image folders, CSVs) is served in one form, as IDX files and its class names, so the
 * worker reads one format; the host decodes, the page only ever gets a dataset's images and labels.
 */
export class DatasetCatalogue {
  private readonly reader: DatasetReader;
  private readonly fashionMnistDir: string;
  /** Each user dataset as last read, by id: served from memory, read again whenever the list is offered. */
  private readonly decoded = new Map<string, { dir: string; data: Promise<Result<Dataset, DatasetError>> }>();

  constructor(
    private readonly fs: FileSystem,
    private readonly folders: CatalogueFolders = {},
  ) {
    this.fashionMnistDir = folders.fashionMnistDir ?? FASHION_MNIST_DIR;
    this.reader = new DatasetReader(fs, this.fashionMnistDir);
  }

  load(spec: DatasetSpec): Promise<Result<Dataset, DatasetError>> {
    return this.reader.load(spec);
  }

  /** Fashion-MNIST, then every user dataset with its figures, or the problem that keeps it from being used. */
  async offered(): Promise<OfferedDataset[]> {
    this.decoded.clear();
    const list: OfferedDataset[] = [FASHION_MNIST_OFFER];
    for (const dataset of await this.userDatasets()) list.push(await this.offer(dataset));
    return list;
  }

  /**
   * Adds a dataset folder from outside the datasets folder (the caller checked that the user chose it) and
   * offers it; a folder added before, or one in the datasets folder, is offered under its id.
   */
  async add(dir: string): Promise<OfferedDataset> {
    const list = this.folders.addedList;
    if (!list) throw new Error('This host keeps no list of added datasets.');
    const real = await this.fs.realPath(dir);
    if (!real) throw new HostRefusal(`${dir} does not exist.`);
    const known = (await this.userDatasets()).find((d) => d.dir === real);
    if (known) return this.offer(known);
    const added = await this.addedDatasets();
    if (added.length >= MAX_ADDED_DATASETS)
      throw new Error(
        `The app keeps at most ${MAX_ADDED_DATASETS} added datasets; move this one into the datasets folder.`,
      );
    // Decoded before it enters the list: a folder that cannot be read is refused, never kept (a refusal:
    // the user's folder is at fault, not the host, so not a 500).
    const decoded = await this.decode(real, basename(real));
    if (!decoded.ok) throw new HostRefusal(decoded.error.message);
    const taken = new Set([...(await this.folderDatasets()), ...added].map((d) => d.id));
    const dataset = { id: freeId(basename(real), taken), dir: real };
    await this.fs.makeDir(dirname(list));
    const kept = [...added, dataset].map(({ id, dir }) => ({ id, dir }));
    await this.fs.writeBytes(list, JSON.stringify(kept));
    return this.offer({ ...dataset, added: true });
  }

  /**
   * Stops offering a folder added from elsewhere, whether or not it is still there; its files are left as
   * they are. One in the datasets folder, or Fashion-MNIST, is refused saying why.
   */
  async remove(id: string): Promise<OfferedDataset[]> {
    const list = this.folders.addedList;
    const added = (list && (await readStateFile(this.fs, list, addedListSchema))) || [];
    if (!list || !added.some((d) => d.id === id)) {
      const inFolder = (await this.folderDatasets()).some((d) => d.id === id);
      throw new HostRefusal(
        id === FASHION_MNIST_ID
          ? 'Fashion-MNIST is always offered'
          : inFolder
            ? `${id} lies in the datasets folder (${this.folders.userFolder}): move it out of there to stop offering it`
            : `${id} is not among the datasets added`,
      );
    }
    await this.fs.writeBytes(list, JSON.stringify(added.filter((d) => d.id !== id)));
    return this.offered();
  }

  /**
   * The bytes behind a URL path /datasets/<id>/<file>, which both hosts serve to the training worker: a
   * catalogue dataset's IDX files (Fashion-MNIST's as Debian ships them) and classes.json; null for
   * anything else.
   */
  async servedFile(urlPath: string): Promise<Uint8Array | null> {
    const parts = urlPath.split('/');
    if (parts.length !== 4 || parts[0] !== '' || parts[1] !== DATASET_ROUTE) return null;
    try {
      // Ids may hold spaces: the URL carries them encoded.
      const [id, name] = [decodeURIComponent(parts[2]!), decodeURIComponent(parts[3]!)];
      return id === FASHION_MNIST_ID ? await this.fashionMnistFile(name) : await this.userFile(id, name);
    } catch {
      return null;
    }
  }

  private async fashionMnistFile(name: string): Promise<Uint8Array | null> {
    if (name === CLASS_NAMES_FILE) return classNamesFile(FASHION_MNIST_CLASSES);
    const allowed = Object.values(IDX_FILES).flatMap((stem) => [stem, `${stem}.gz`]);
    if (!allowed.includes(name as (typeof allowed)[number])) return null;
    const path = join(this.fashionMnistDir, name);
    return (await this.fs.exists(path)) ? this.fs.readBytes(path) : null;
  }

  /** A user dataset's file, made from the decoded dataset: never a file of its folder as such. */
  private async userFile(id: string, name: string): Promise<Uint8Array | null> {
    const dataset = (await this.userDatasets()).find((d) => d.id === id);
    const read = dataset && (await this.read(dataset));
    if (!read?.ok) return null;
    const data = read.value;
    if (name === CLASS_NAMES_FILE) return classNamesFile(data.classes);
    const split = name === IDX_FILES.trainImages || name === IDX_FILES.trainLabels ? data.train : data.test;
    // Only the file asked for is encoded: a request for labels never copies the images.
    if (name === IDX_FILES.trainImages || name === IDX_FILES.testImages)
      return encodeImagesIdx(split, data.shape);
    if (name === IDX_FILES.trainLabels || name === IDX_FILES.testLabels)
      return encodeIdx([split.count], split.labels);
    return null;
  }

  private async offer(dataset: UserDataset): Promise<OfferedDataset> {
    const data = await this.read(dataset);
    const added = dataset.added ? { added: true as const } : {};
    if (!data.ok) return { id: dataset.id, name: dataset.id, problem: data.error.message, ...added };
    const { shape, classes, train, test } = data.value;
    return {
      id: dataset.id,
      name: dataset.id,
      shape,
      classes,
      train: train.count,
      test: test.count,
      ...added,
    };
  }

  private read(dataset: UserDataset): Promise<Result<Dataset, DatasetError>> {
    const cached = this.decoded.get(dataset.id);
    if (cached?.dir === dataset.dir) return cached.data;
    const data = this.decode(dataset.dir, dataset.id);
    this.decoded.set(dataset.id, { dir: dataset.dir, data });
    return data;
  }

  /**
   * A folder's dataset (`dir`: its real path; no file is read from outside it), or why it cannot be used:
   * a fault of the file system is reported, never thrown.
   */
  private async decode(dir: string, name: string): Promise<Result<Dataset, DatasetError>> {
    try {
      const note = await this.datasetNote(dir);
      if (!note.ok) return note;
      const spec = await this.specOf(dir, name, note.value);
      const data = spec.ok ? await this.reader.load(spec.value, { confinedTo: dir }) : spec;
      return data.ok ? noteMismatch(note.value, data.value, join(dir, DATASET_NOTE)) : data;
    } catch (e) {
      return failure(datasetError('unreadable', dir, `could not be read: ${(e as Error).message}`));
    }
  }

  /** What kind of dataset a folder holds, told by its files, with what its dataset.json says. */
  private async specOf(
    dir: string,
    name: string,
    note: DatasetNote,
  ): Promise<Result<DatasetSpec, DatasetError>> {
    const entries = await this.fs.listDir(dir);
    const has = (n: string) => entries.some((e) => e.name === n);
    const forms = {
      idx: Object.values(IDX_FILES).some((stem) => has(stem) || has(`${stem}.gz`)),
      // One split there is enough to tell the form: the reader then names the other as missing.
      csv: has('train.csv') || has('test.csv'),
      folder: ['train', 'test'].some((n) => entries.some((e) => e.name === n && e.isDirectory)),
    };
    const found = (Object.keys(forms) as (keyof typeof forms)[]).filter((form) => forms[form]);
    if (found.length > 1)
      return failure(
        datasetError(
          'ambiguous',
          dir,
          `holds a dataset in ${found.length} forms (${found.map((f) => FORM_WORDS[f]).join(' and ')}): keep one of them in this folder.`,
        ),
      );
    if (forms.idx) return success({ kind: 'idx', dir, name, classes: note.classes });
    if (forms.csv)
      return success({
        kind: 'csv',
        name,
        train: join(dir, 'train.csv'),
        test: join(dir, 'test.csv'),
        ...note,
      });
    if (forms.folder) return success({ kind: 'folder', dir, name });
    return failure(
      datasetError(
        'notFound',
        dir,
        'holds no dataset: put in it the four MNIST-style IDX files, or train.csv and test.csv (a label, then the pixels, per row), or train/ and test/ with one folder of PNG or JPEG images per class.',
      ),
    );
  }

  /** The folder's dataset.json, when it has one: a broken one is said, not ignored. */
  private async datasetNote(dir: string): Promise<Result<DatasetNote, DatasetError>> {
    const path = join(dir, DATASET_NOTE);
    if (!(await this.fs.entryKind(path))) return success({});
    const bytes = await this.reader.readFile(path, { confinedTo: dir });
    if (!bytes.ok) return bytes;
    try {
      const text = withoutByteOrderMark(new TextDecoder().decode(bytes.value));
      const parsed = datasetNoteSchema.safeParse(JSON.parse(text));
      if (parsed.success) return success(parsed.data);
      const { param, words } = issuesProblem(datasetNoteSchema, parsed.error.issues);
      return failure(
        datasetError(
          'badNote',
          path,
          `"${param}": ${words} (it may name "classes" and, for CSVs, "shape": [C, H, W]).`,
        ),
      );
    } catch (e) {
      return failure(datasetError('badNote', path, `is not JSON (${(e as Error).message}).`));
    }
  }

  private async userDatasets(): Promise<UserDataset[]> {
    return [...(await this.folderDatasets()), ...(await this.addedDatasets())];
  }

  /** Each folder in the user's datasets folder that really lies there (a symbolic link out is not offered). */
  private async folderDatasets(): Promise<UserDataset[]> {
    const root = this.folders.userFolder && (await this.fs.realPath(this.folders.userFolder));
    if (!root) return [];
    const found: UserDataset[] = [];
    for (const entry of await this.fs.listDir(root)) {
      if (!entry.isDirectory || !DATASET_ID.test(entry.name)) continue;
      const dir = await this.fs.realPath(join(root, entry.name));
      if (dir?.startsWith(root + sep)) found.push({ id: entry.name, dir });
    }
    return found.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The folders added from elsewhere that are still there. */
  private async addedDatasets(): Promise<UserDataset[]> {
    if (!this.folders.addedList) return [];
    const added = (await readStateFile(this.fs, this.folders.addedList, addedListSchema)) ?? [];
    const present = await Promise.all(added.map(async (d) => (await this.fs.realPath(d.dir)) === d.dir));
    return added.filter((_, i) => present[i]).map((d) => ({ ...d, added: true as const }));
  }
}

type DatasetNote = z.infer<typeof datasetNoteSchema>;

const FORM_WORDS = { idx: 'IDX files', csv: 'train.csv and test.csv', folder: 'train/ and test/ folders' };

/**
 * A dataset.json that says other than the files: class names other than an image folder's folders, or a
 * shape its images do not have (it was ignored, the dataset accepted as the files said).
 */
function noteMismatch(note: DatasetNote, data: Dataset, path: string): Result<Dataset, DatasetError> {
  if (note.classes && note.classes.join('\n') !== data.classes.join('\n'))
    return failure(
      datasetError(
        'badNote',
        path,
        `names the classes ${note.classes.join(', ')}, but the dataset's are ${data.classes.join(', ')} (an image folder's classes are its folders' names).`,
      ),
    );
  if (note.shape && note.shape.join() !== data.shape.join())
    return failure(
      datasetError(
        'badNote',
        path,
        `gives the shape ${note.shape.join('×')}, but the images are ${data.shape.join('×')} (C×H×W).`,
      ),
    );
  return success(data);
}

function classNamesFile(classes: readonly string[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(classes));
}

/** An id for a folder's name: its letters, digits, spaces, - and _, numbered when already taken. */
function freeId(folderName: string, taken: ReadonlySet<string>): string {
  const stem =
    folderName
      .replace(/[^A-Za-z0-9 _-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 56) || 'dataset';
  let id = stem;
  for (let n = 2; taken.has(id) || id === FASHION_MNIST_ID; n++) id = `${stem} ${n}`;
  return id;
}
