import { MAX_DECODED_BYTES } from './dataset.ts';

/**
 * Unpacks gzip bytes, refusing (with UnpackedTooLarge) to make more than `limit` bytes. Each platform passes
 * its native one (DecompressionStream in the page and the worker, zlib in Node): both stream through C code,
 * several times faster than unpacking in JavaScript.
 */
export type Gunzip = (bytes: Uint8Array, limit: number) => Promise<Uint8Array>;

export class UnpackedTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`it unpacks to more than ${limit / 2 ** 30} GiB, more than a dataset file may`);
  }
}

/** Gunzips when the bytes carry the gzip magic number (Debian ships the IDX files gzipped). */
export function maybeGunzip(bytes: Uint8Array, gunzip: Gunzip): Promise<Uint8Array> {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzip(bytes, MAX_DECODED_BYTES) : Promise.resolve(bytes);
}
