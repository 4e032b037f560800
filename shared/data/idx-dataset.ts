import { failure, success, type Result } from '../result.ts';
import {
  datasetError,
  imageSetProblem,
  labelGapProblem,
  labelledClassCount,
  type Dataset,
  type DatasetError,
  type ImageSet,
} from './dataset.ts';
import { maybeGunzip, UnpackedTooLarge, type Gunzip } from './gzip.ts';
import { decodeIdx, idxImageSet } from './idx.ts';

/** The four files of an MNIST-style dataset, by their usual names (each may also come gzipped). */
export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export type IdxFiles = Record<keyof typeof IDX_FILES, { path: string; bytes: Uint8Array }>;

/**
 * Classes named by number, as many as the training labels use: a test label past them is the test file's
 * mistake, and said so (numbered from both, it was blamed on the training file).
 */
export const numberedClasses = (train: ImageSet): string[] =>
  Array.from({ length: labelledClassCount(train) }, (_, i) => String(i));

/**
 * A dataset whose both splits have images and labels within its classes, and (classes numbered from the
 * labels) no gap in the training labels; else the first problem, naming its file.
 */
export function checkedDataset(
  data: Dataset,
  files: { train: string; test: string },
  numbered: boolean,
): Result<Dataset, DatasetError> {
  const problem =
    imageSetProblem(data.train, files.train, data.classes) ??
    imageSetProblem(data.test, files.test, data.classes) ??
    (numbered ? labelGapProblem(data.train, files.train, data.classes.length) : null);
  return problem ? failure(problem) : success(data);
}

function split(images: IdxFiles['trainImages'], labels: IdxFiles['trainLabels']) {
  const i = decodeIdx(images.bytes, images.path);
  if (!i.ok) return i;
  const l = decodeIdx(labels.bytes, labels.path);
  if (!l.ok) return l;
  return idxImageSet(i.value, l.value, { images: images.path, labels: labels.path });
}

/**
 * An MNIST-style dataset from its four (already gunzipped) files, in Node (the CLI) and in the training
 * worker alike. Every problem names its file.
 */
export function idxDataset(files: IdxFiles, name: string, classes?: string[]): Result<Dataset, DatasetError> {
  const train = split(files.trainImages, files.trainLabels);
  if (!train.ok) return train;
  const test = split(files.testImages, files.testLabels);
  if (!test.ok) return test;
  if (test.value.shape.join() !== train.value.shape.join())
    return failure(
      datasetError(
        'countMismatch',
        files.testImages.path,
        `has ${test.value.shape.join('×')} images (C×H×W), the training images are ${train.value.shape.join('×')}.`,
      ),
    );
  return checkedDataset(
    {
      name,
      classes: classes ?? numberedClasses(train.value.set),
      shape: train.value.shape,
      train: train.value.set,
      test: test.value.set,
    },
    { train: files.trainLabels.path, test: files.testLabels.path },
    !classes,
  );
}

/**
 * One IDX file through a reader (the host's dataset route): gzipped if there is a .gz, else raw, unpacked.
 * A missing or damaged file is a sentence that says what to do.
 */
export async function readIdxFile(
  read: (name: string) => Promise<Uint8Array | null>,
  stem: string,
  gunzip: Gunzip,
): Promise<Result<{ path: string; bytes: Uint8Array }, string>> {
  const gz = await read(`${stem}.gz`);
  const bytes = gz ?? (await read(stem));
  if (!bytes)
    return failure(
      `${stem} was not found (Fashion-MNIST: install it with sudo apt-get install dataset-fashion-mnist; your own dataset: put the four IDX files in its folder).`,
    );
  try {
    return success({ path: gz ? `${stem}.gz` : stem, bytes: await maybeGunzip(bytes, gunzip) });
  } catch (e) {
    if (e instanceof UnpackedTooLarge) return failure(`${stem}.gz: ${e.message}. Is it really an IDX file?`);
    return failure(
      `${stem}.gz is not a readable gzip file (${(e as Error).message}): it is damaged or cut short.`,
    );
  }
}

/** The test split alone, as the page reads it to show the data and a run's mistakes. */
export async function readIdxTestSet(
  read: (name: string) => Promise<Uint8Array | null>,
  gunzip: Gunzip,
): Promise<Result<{ set: ImageSet; shape: [number, number, number] }, string>> {
  const images = await readIdxFile(read, IDX_FILES.testImages, gunzip);
  if (!images.ok) return images;
  const labels = await readIdxFile(read, IDX_FILES.testLabels, gunzip);
  if (!labels.ok) return labels;
  const test = split(images.value, labels.value);
  return test.ok ? test : failure(test.error.message);
}
