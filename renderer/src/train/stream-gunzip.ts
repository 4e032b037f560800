import type { Gunzip } from '../../../shared/data/gzip.ts';

/** The browser's own gunzip (native, streaming): for the worker's dataset and the page's test images. */
export const streamGunzip: Gunzip = async (bytes) => {
  // Served bytes never live in shared memory; Blob's type only wants that said.
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
};
