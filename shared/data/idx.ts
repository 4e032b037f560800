import { failure, success, type Result } from '../result.ts';
import {
  datasetError,
  MAX_CLASSES,
  narrowedLabels,
  type DatasetError,
  type ImageSet,
  type Labels,
} from './dataset.ts';

/** An IDX array (the MNIST file format): big-endian header; bytes, or 16- or 32-bit labels past 256 classes. */
export interface IdxArray {
  dims: number[];
  data: Labels;
}

const UBYTE = 0x08;
/** IDX's element types other than bytes that labels may take: signed 16- and 32-bit, big-endian. */
const WIDE_TYPES: Readonly<Record<number, { bytes: 2 | 4 }>> = { 0x0b: { bytes: 2 }, 0x0c: { bytes: 4 } };

export function decodeIdx(bytes: Uint8Array, file: string): Result<IdxArray, DatasetError> {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    return failure(
      datasetError(
        'badMagic',
        file,
        'not an IDX file (its magic number should start with two zero bytes). Is it still gzipped, or another format?',
      ),
    );
  }
  const type = bytes[2]!;
  const wide = WIDE_TYPES[type];
  if (type !== UBYTE && !wide) {
    return failure(
      datasetError(
        'badMagic',
        file,
        `IDX element type 0x${type.toString(16)} is not supported; only unsigned bytes (0x08), and 16- or 32-bit integers (0x0b, 0x0c) for labels, are.`,
      ),
    );
  }
  const rank = bytes[3]!;
  const headerSize = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerSize)
    return failure(datasetError('truncated', file, 'the IDX header is cut short.'));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, d) => a * d, 1) * (wide?.bytes ?? 1);
  if (bytes.length < headerSize + size) {
    return failure(
      datasetError(
        'truncated',
        file,
        `truncated: the header announces ${size} bytes of data, the file has ${bytes.length - headerSize}.`,
      ),
    );
  }
  if (bytes.length > headerSize + size)
    return failure(
      datasetError(
        'countMismatch',
        file,
        `has ${bytes.length - headerSize - size} bytes more than the ${size} its header announces: is it the file it should be, whole and alone?`,
      ),
    );
  if (!wide) return success({ dims, data: bytes.subarray(headerSize, headerSize + size) });
  const labels = wideLabels(view, headerSize, size / wide.bytes, wide.bytes, file);
  return labels.ok ? success({ dims, data: labels.value }) : labels;
}

/** 16- or 32-bit labels, big-endian, each from 0 to MAX_CLASSES − 1, in the narrowest array that holds them. */
function wideLabels(
  view: DataView,
  offset: number,
  count: number,
  bytes: 2 | 4,
  file: string,
): Result<Labels, DatasetError> {
  const values = new Uint32Array(count);
  let largest = 0;
  for (let i = 0; i < count; i++) {
    const at = offset + i * bytes;
    const v = bytes === 2 ? view.getInt16(at) : view.getInt32(at);
    if (v < 0 || v >= MAX_CLASSES)
      return failure(
        datasetError('badLabel', file, `value ${i + 1} is ${v}; labels run from 0 to ${MAX_CLASSES - 1}.`),
      );
    values[i] = v;
    largest = Math.max(largest, v);
  }
  return success(narrowedLabels(values, largest));
}

/** Pairs an IDX image file (N×H×W grey, or N×H×W×C with 1 or 3 channels) with its label file (N). */
export function idxImageSet(
  images: IdxArray,
  labels: IdxArray,
  files: { images: string; labels: string },
): Result<{ set: ImageSet; shape: [number, number, number] }, DatasetError> {
  if (!(images.data instanceof Uint8Array))
    return failure(
      datasetError('badMagic', files.images, 'images must be unsigned bytes (IDX type 0x08), one per pixel.'),
    );
  const [count, height, width, channels = 1] = images.dims as [number, number, number, number?];
  if (images.dims.length < 3 || images.dims.length > 4 || (channels !== 1 && channels !== 3))
    return failure(
      datasetError(
        'badMagic',
        files.images,
        `expected images N×H×W (grey) or N×H×W×C with 1 or 3 channels, found ${images.dims.join('×')}.`,
      ),
    );
  if (labels.dims.length !== 1)
    return failure(
      datasetError('badMagic', files.labels, `expected labels of rank 1, found rank ${labels.dims.length}.`),
    );
  if (labels.dims[0] !== count) {
    return failure(
      datasetError(
        'countMismatch',
        files.labels,
        `has ${labels.dims[0]} labels but ${files.images} has ${count} images.`,
      ),
    );
  }
  return success({
    set: { images: images.data, labels: labels.data, count },
    shape: [channels, height, width],
  });
}

/** An image set's images as an IDX file: grey ones as N×H×W (as MNIST's), colour ones as N×H×W×C. */
export function encodeImagesIdx(
  set: ImageSet,
  [channels, height, width]: readonly [number, number, number],
): Uint8Array {
  const dims = channels === 1 ? [set.count, height, width] : [set.count, height, width, channels];
  return encodeIdx(dims, set.images);
}

/**
 * Encodes an IDX array: bytes as unsigned bytes (0x08), wider labels as 32-bit integers (0x0c). Used by
 * the host to serve a dataset, by exports and by tests.
 */
export function encodeIdx(dims: number[], data: Labels): Uint8Array {
  const width = data instanceof Uint8Array ? 1 : 4;
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + width * data.length);
  const view = new DataView(out.buffer);
  out.set([0, 0, width === 1 ? UBYTE : 0x0c, dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  if (width === 1) out.set(data, header);
  else data.forEach((v, i) => view.setInt32(header + 4 * i, v));
  return out;
}
