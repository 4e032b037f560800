/**
 * Unpacks gzip bytes. Each platform passes its native one (DecompressionStream in the page and the worker,
 * zlib in Node): both stream through C code, several times faster than unpacking in JavaScript.
 */
export type Gunzip = (bytes: Uint8Array) => Promise<Uint8Array>;

/** Gunzips when the bytes carry the gzip magic number (Debian ships the IDX files gzipped). */
export function maybeGunzip(bytes: Uint8Array, gunzip: Gunzip): Promise<Uint8Array> {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzip(bytes) : Promise.resolve(bytes);
}
