import { strFromU8 } from 'fflate';

/** One class label per image: a byte each for up to 256 classes, 16 or 32 bits past that (ImageNet's 1000). */
export type Labels = Uint8Array | Uint16Array | Uint32Array;

/** The most classes a dataset may have (as many as a template can be built for). */
export const MAX_CLASSES = 100_000;

/** An array for `count` labels from 0 to `largest`, as narrow as they allow. */
export function labelArray(count: number, largest: number): Labels {
  if (largest < 2 ** 8) return new Uint8Array(count);
  return largest < 2 ** 16 ? new Uint16Array(count) : new Uint32Array(count);
}

/** Labels read as 32-bit values, none above `largest`, in the narrowest array that holds them. */
export function narrowedLabels(values: Uint32Array, largest: number): Labels {
  const labels = labelArray(values.length, largest);
  labels.set(values);
  return labels;
}

/** A labelled image set in memory: raw 8-bit pixels, H×W×C per image (what the decoders produce). */
export interface ImageSet {
  /** count × height × width × channels bytes. */
  images: Uint8Array;
  labels: Labels;
  count: number;
}

export interface Dataset {
  name: string;
  classes: string[];
  /** C×H×W of one image as stored. */
  shape: [number, number, number];
  train: ImageSet;
  test: ImageSet;
}

/** Why a dataset file could not be used, always naming the file. */
export type DatasetErrorKind =
  | 'badMagic'
  | 'truncated'
  | 'countMismatch'
  | 'unreadableImage'
  | 'emptyClassFolder'
  | 'badCsv'
  | 'notFound'
  | 'empty'
  | 'badLabel'
  /** A dataset folder's dataset.json that is not what it should be. */
  | 'badNote'
  /** A file or folder the host could not read at all (a link loop, no permission, an unexpected fault). */
  | 'unreadable'
  /** Two forms of one file, or of one dataset, in a folder: which did the user mean? */
  | 'ambiguous'
  /** More than a dataset may decode to (see MAX_DECODED_BYTES), or an image past MAX_IMAGE_SIDE. */
  | 'tooLarge';

/**
 * The most one dataset file may unpack to, and a dataset's images decode to: 1 GiB (Fashion-MNIST's
 * training images are 47 MB). Past it a 1.3 MB gzip bomb took the host to 3.7 GB.
 */
export const MAX_DECODED_BYTES = 2 ** 30;

/** The widest or tallest image a dataset may have: 4096 pixels (20000² PNGs took the host past 2.5 GB). */
export const MAX_IMAGE_SIDE = 4096;

export interface DatasetError {
  kind: DatasetErrorKind;
  file: string;
  message: string;
}

export function datasetError(kind: DatasetErrorKind, file: string, problem: string): DatasetError {
  return { kind, file, message: `${file}: ${problem}` };
}

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** The file beside a served dataset's IDX files that names its classes (a JSON array of strings). */
export const CLASS_NAMES_FILE = 'classes.json';

/** Class names from a served classes.json; undefined (numbered classes) when absent or not a list of names. */
export function parseClassNames(bytes: Uint8Array | null): string[] | undefined {
  if (!bytes) return undefined;
  try {
    const names: unknown = JSON.parse(strFromU8(bytes));
    const valid = Array.isArray(names) && names.length > 0 && names.every((n) => typeof n === 'string');
    return valid ? (names as string[]) : undefined;
  } catch {
    return undefined;
  }
}

export const imageSize = (d: Pick<Dataset, 'shape'>): number => d.shape[0] * d.shape[1] * d.shape[2];

/** How many classes the labels of these sets use: the largest label plus one. A loop, not Math.max(...):
 * spreading 60,000 labels into arguments overflows the stack. */
export function labelledClassCount(...sets: ImageSet[]): number {
  let most = -1;
  for (const { labels } of sets) for (const label of labels) if (label > most) most = label;
  return most + 1;
}

/** A set that cannot be trained or tested on: no images, or a label beyond the classes the dataset names. */
export function imageSetProblem(
  set: ImageSet,
  file: string,
  classes: readonly string[],
): DatasetError | null {
  if (set.count === 0)
    return datasetError('empty', file, 'has no images; a dataset needs some in train and test.');
  const at = set.labels.findIndex((label) => label >= classes.length);
  if (at < 0) return null;
  return datasetError(
    'badLabel',
    file,
    `image ${at + 1} has label ${set.labels[at]}, but the dataset has ${classes.length} classes (labels 0 to ${classes.length - 1}). Fix the label, or use a dataset that names more classes.`,
  );
}

/**
 * Labels numbered by the data itself (no class names given) must use every class up to the largest: a
 * gap means a wrong label (200 among 0–9), which would otherwise make a 201-class dataset.
 */
export function labelGapProblem(set: ImageSet, file: string, classCount: number): DatasetError | null {
  const seen = new Uint8Array(classCount);
  for (const label of set.labels) seen[label] = 1;
  const missing = seen.indexOf(0);
  if (missing < 0) return null;
  const top = set.labels.indexOf(classCount - 1);
  return datasetError(
    'badLabel',
    file,
    `image ${top + 1} has label ${classCount - 1}, but no image has label ${missing}: labels should run from 0 without gaps. Fix that label, or the file's labels.`,
  );
}
