import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { streamGunzip } from './stream-gunzip.ts';

describe('streamGunzip (the page’s and the worker’s native gunzip)', () => {
  it('unpacks what gzip packed, and rejects a file cut short', async () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 251);
    const packed = gzipSync(bytes);
    expect(await streamGunzip(packed)).toEqual(bytes);
    await expect(streamGunzip(packed.subarray(0, packed.length - 20))).rejects.toThrow();
  });
});
