import { failure, success, type Result } from '../result.ts';
import { datasetError, type DatasetError, type ImageSet } from './dataset.ts';

/** An IDX array (the MNIST file format): big-endian header, unsigned bytes only. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

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
  if (bytes[2] !== UBYTE) {
    return failure(
      datasetError(
        'badMagic',
        file,
        `IDX element type 0x${bytes[2]!.toString(16)} is not supported; only unsigned bytes (0x08) are.`,
      ),
    );
  }
  const rank = bytes[3]!;
  const headerSize = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerSize)
    return failure(datasetError('truncated', file, 'the IDX header is cut short.'));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, d) => a * d, 1);
  if (bytes.length < headerSize + size) {
    return failure(
      datasetError(
        'truncated',
        file,
        `truncated: the header announces ${size} bytes of data, the file has ${bytes.length - headerSize}.`,
      ),
    );
  }
  return success({ dims, data: bytes.subarray(headerSize, headerSize + size) });
}

/** Pairs an IDX image file (N×H×W grey, or N×H×W×C with 1 or 3 channels) with its label file (N). */
export function idxImageSet(
  images: IdxArray,
  labels: IdxArray,
  files: { images: string; labels: string },
): Result<{ set: ImageSet; shape: [number, number, number] }, DatasetError> {
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

/** Encodes an IDX array: used by tests and by exporting a dataset. */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out.set([0, 0, UBYTE, dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
