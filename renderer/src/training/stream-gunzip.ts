import { UnpackedTooLarge, type Gunzip } from '../../../shared/data/gzip.ts';

/**
 * The browser's own gunzip (native, streaming): for the worker's dataset and the page's test images. It stops
 * reading at the limit, so a gzip bomb never fills the tab's memory.
 */
export const streamGunzip: Gunzip = async (bytes, limit) => {
  // Served bytes never live in shared memory; Blob's type only wants that said.
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'))
    .getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.length;
    if (size > limit) {
      await reader.cancel();
      throw new UnpackedTooLarge(limit);
    }
    chunks.push(next.value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};
