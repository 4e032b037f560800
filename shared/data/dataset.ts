/** A labelled image set in memory: raw 8-bit pixels, H×W×C per image (what the decoders produce). */
export interface ImageSet {
  /** count × height × width × channels bytes. */
  images: Uint8Array;
  labels: Uint8Array;
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
  'badMagic' | 'truncated' | 'countMismatch' | 'unreadableImage' | 'emptyClassFolder' | 'badCsv' | 'notFound';

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

export const imageSize = (d: Pick<Dataset, 'shape'>): number => d.shape[0] * d.shape[1] * d.shape[2];
