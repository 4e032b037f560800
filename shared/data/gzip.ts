import { gunzipSync } from 'fflate';

/** Gunzips when the bytes carry the gzip magic number (Debian ships the IDX files gzipped). */
export function maybeGunzip(bytes: Uint8Array): Uint8Array {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}
