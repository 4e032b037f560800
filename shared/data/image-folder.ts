import { decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { failure, success, type Result } from '../result.ts';
import {
  datasetError,
  labelArray,
  MAX_DECODED_BYTES,
  MAX_IMAGE_SIDE,
  type DatasetError,
  type ImageSet,
} from './dataset.ts';

export interface ImageFile {
  path: string;
  bytes: Uint8Array;
}

/** One sub-folder per class, its name the class name. */
export interface ClassFolder {
  name: string;
  /** Where it is, for messages. */
  path: string;
  files: ImageFile[];
}

interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

/** A PNG's size from its header (IHDR), read before decoding it. */
function pngSize(b: Uint8Array): { width: number; height: number } {
  if (b.length < 24) throw new Error('the PNG is cut short');
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function checkSide({ width, height }: { width: number; height: number }): void {
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    throw new ImageTooLarge(
      `is ${width}×${height}; images up to ${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE} are read: resize it first`,
    );
}

class ImageTooLarge extends Error {}

function decodeImage(file: ImageFile): Pixels {
  const b = file.bytes;
  if (b[0] === 0x89 && b[1] === 0x50) {
    checkSide(pngSize(b));
    const png = decodePng(b);
    if (png.depth !== 8)
      throw new Error(`${png.depth}-bit PNGs are not supported; save it with 8 bits per channel`);
    return { width: png.width, height: png.height, channels: png.channels, data: png.data };
  }
  if (b[0] === 0xff && b[1] === 0xd8) {
    // jpeg-js checks the size in the header before it allocates.
    const maxResolutionInMP = MAX_IMAGE_SIDE ** 2 / 1e6;
    const img = jpeg.decode(b, { useTArray: true, formatAsRGBA: true, maxResolutionInMP });
    checkSide(img);
    return { width: img.width, height: img.height, channels: 4, data: img.data };
  }
  throw new Error('not a PNG or JPEG image');
}

/** Whether an image has colour: a JPEG decodes to RGBA and an RGB PNG may be grey all the same. */
function hasColour(px: Pixels): boolean {
  if (px.channels < 3) return false;
  for (let i = 0; i < px.data.length; i += px.channels)
    if (px.data[i] !== px.data[i + 1] || px.data[i] !== px.data[i + 2]) return true;
  return false;
}

/** Grey (1 channel) or RGB (3 channels) bytes of one image; alpha is dropped. */
function toChannels(px: Pixels, channels: 1 | 3, out: Uint8Array, offset: number): void {
  const n = px.width * px.height;
  for (let i = 0; i < n; i++) {
    const src = i * px.channels;
    const grey = px.channels < 3;
    const r = px.data[src]!;
    const g = grey ? r : px.data[src + 1]!;
    const bl = grey ? r : px.data[src + 2]!;
    if (channels === 1) out[offset + i] = Math.round(0.299 * r + 0.587 * g + 0.114 * bl);
    else out.set([r, g, bl], offset + 3 * i);
  }
}

/** The size most images have: the one to hold the others to. */
function commonestSize(images: readonly { width: number; height: number }[]): {
  width: number;
  height: number;
} {
  const counts = new Map<string, { size: { width: number; height: number }; n: number }>();
  for (const { width, height } of images) {
    const key = `${width}×${height}`;
    const entry = counts.get(key) ?? { size: { width, height }, n: 0 };
    entry.n += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].reduce((a, b) => (b.n > a.n ? b : a)).size;
}

export interface DecodedImages {
  set: ImageSet;
  classes: string[];
  shape: [number, number, number];
}

/** The size a split's images must have, and what has it (the test split is held to the training images'). */
export interface ExpectedSize {
  width: number;
  height: number;
  what: string;
}

/**
 * Decodes one split of an image-folder dataset (`where`: its folder, train/ or test/). Every image must
 * have one size: `expected`, or the one most images have (an odd one out is named, whichever file sorts
 * first); grey images are kept grey unless some image in the split has colour (a grey JPEG has none).
 */
export function decodeImageFolders(
  folders: ClassFolder[],
  where: string,
  expected?: ExpectedSize,
  maxBytes = MAX_DECODED_BYTES,
): Result<DecodedImages, DatasetError> {
  const problem = folderProblem(folders, where);
  if (problem) return failure(problem);
  const decoded: { px: Pixels; label: number; path: string }[] = [];
  let bytes = 0;
  for (const [label, folder] of folders.entries()) {
    for (const file of folder.files) {
      try {
        const px = decodeImage(file);
        bytes += px.width * px.height * px.channels;
        if (bytes > maxBytes)
          return failure(
            datasetError(
              'tooLarge',
              file.path,
              `the images up to this one decode to more than ${(maxBytes / 2 ** 30).toPrecision(2)} GiB, more than a dataset may: use fewer or smaller images.`,
            ),
          );
        decoded.push({ px, label, path: file.path });
      } catch (e) {
        if (e instanceof ImageTooLarge) return failure(datasetError('tooLarge', file.path, `${e.message}.`));
        return failure(
          datasetError('unreadableImage', file.path, `cannot read this image (${(e as Error).message}).`),
        );
      }
    }
  }
  const size = expected ?? { ...commonestSize(decoded.map((d) => d.px)), what: 'most images here' };
  const odd = decoded.find((d) => d.px.width !== size.width || d.px.height !== size.height);
  if (odd)
    return failure(
      datasetError(
        'unreadableImage',
        odd.path,
        `is ${odd.px.width}×${odd.px.height}, but ${size.what} are ${size.width}×${size.height}; resize it (or them) to one size.`,
      ),
    );
  const channels: 1 | 3 = decoded.some((d) => hasColour(d.px)) ? 3 : 1;
  const imageBytes = size.width * size.height * channels;
  const images = new Uint8Array(decoded.length * imageBytes);
  const labels = labelArray(decoded.length, folders.length - 1);
  for (const [i, d] of decoded.entries()) {
    toChannels(d.px, channels, images, i * imageBytes);
    labels[i] = d.label;
  }
  return success({
    set: { images, labels, count: decoded.length },
    classes: folders.map((f) => f.name),
    shape: [channels, size.height, size.width],
  });
}

/** A split without two class folders, or with an empty one, named: the folder at fault. */
function folderProblem(folders: ClassFolder[], where: string): DatasetError | null {
  const empty = folders.find((f) => f.files.length === 0);
  if (empty)
    return datasetError(
      'emptyClassFolder',
      empty.path,
      'this class folder has no PNG or JPEG images; add some or remove the folder.',
    );
  if (folders.length < 2)
    return datasetError(
      'emptyClassFolder',
      where,
      `has ${folders.length === 0 ? 'no class folder' : `one class folder (${folders[0]!.name})`}; a classification dataset needs at least two, one per class.`,
    );
  return null;
}

/** Grey images as colour ones (each grey value three times): to match a split that has colour. */
export function asColour(grey: DecodedImages): DecodedImages {
  const [, height, width] = grey.shape;
  const images = new Uint8Array(grey.set.images.length * 3);
  grey.set.images.forEach((v, i) => images.fill(v, 3 * i, 3 * i + 3));
  return { ...grey, set: { ...grey.set, images }, shape: [3, height, width] };
}
