import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { UnpackedTooLarge } from '../../../shared/data/gzip.ts';
import { streamGunzip } from './stream-gunzip.ts';

describe('streamGunzip (the page’s and the worker’s native gunzip)', () => {
  it('unpacks what gzip packed, and rejects a file cut short', async () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 251);
    const packed = gzipSync(bytes);
    expect(await streamGunzip(packed, 100_000)).toEqual(bytes);
    await expect(streamGunzip(packed.subarray(0, packed.length - 20), 100_000)).rejects.toThrow();
  });

  it('stops at the limit: a gzip bomb never unpacks whole', async () => {
    const bomb = gzipSync(new Uint8Array(64 * 2 ** 20));
    expect(bomb.length).toBeLessThan(100_000);
    await expect(streamGunzip(bomb, 2 ** 20)).rejects.toBeInstanceOf(UnpackedTooLarge);
  });
});
