import { describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs-core';
import '../test/graph-kit.ts';
import { SeededRandom } from '../random.ts';
import type { ImageSet } from './dataset.ts';
import { augmentSchema, checkCompatible, makeBatch, preprocessSchema } from './preprocess.ts';

/** Two 4×4 grey images: a left-to-right ramp and its mirror image. */
const set: ImageSet = {
  images: Uint8Array.from([
    ...Array.from({ length: 16 }, (_, i) => (i % 4) * 60),
    ...Array.from({ length: 16 }, (_, i) => (3 - (i % 4)) * 60),
  ]),
  labels: Uint8Array.from([0, 1]),
  count: 2,
};
const shape: [number, number, number] = [1, 4, 4];
const values = (t: Tensor) => t.arraySync() as number[][][][];
const input = (channels: number, size: number) => ({ channels, height: size, width: size });

describe('batches', () => {
  it('scale to 0–1, keep labels, and lay images out N×H×W×C', () => {
    const b = makeBatch(
      set,
      [1, 0],
      { shape },
      input(1, 4),
      preprocessSchema.parse({}),
      null,
      new SeededRandom(1),
    );
    expect(b.x.shape).toEqual([2, 4, 4, 1]);
    expect(Array.from(b.labels.dataSync())).toEqual([1, 0]);
    expect(values(b.x)[1]![0]!.map((p) => p[0])).toEqual(
      [0, 60 / 255, 120 / 255, 180 / 255].map((v) => Math.fround(v)),
    );
  });

  it('resize bilinearly, replicate grey to RGB, and normalize', () => {
    const b = makeBatch(
      set,
      [0],
      { shape },
      input(3, 8),
      preprocessSchema.parse({ resize: 8, normalize: [0.5, 0.5] }),
      null,
      new SeededRandom(1),
    );
    expect(b.x.shape).toEqual([1, 8, 8, 3]);
    const px = values(b.x)[0]![3]![7]!;
    expect(px[0]).toBe(px[1]);
    expect(px[1]).toBe(px[2]);
    expect(px[0]).toBeCloseTo((180 / 255 - 0.5) / 0.5, 5);
  });

  it('flip is drawn from the seed and mirrors the image', () => {
    const aug = augmentSchema.parse({ flip: true });
    const flips = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(
      (seed) =>
        values(
          makeBatch(set, [0], { shape }, input(1, 4), preprocessSchema.parse({}), aug, new SeededRandom(seed))
            .x,
        )[0]![0]![0]![0],
    );
    // Some draws flip (the row starts bright), some do not (it starts dark); the same seed always agrees.
    expect(new Set(flips.map((v) => v! > 0.5))).toEqual(new Set([true, false]));
    const again = values(
      makeBatch(set, [0], { shape }, input(1, 4), preprocessSchema.parse({}), aug, new SeededRandom(3)).x,
    )[0]![0]![0]![0];
    expect(again).toBe(flips[2]);
  });

  it('random crops keep the size and shift the content by whole pixels', () => {
    const aug = augmentSchema.parse({ cropPadding: 1 });
    const x = values(
      makeBatch(set, [0], { shape }, input(1, 4), preprocessSchema.parse({}), aug, new SeededRandom(9)).x,
    )[0]!;
    expect(x).toHaveLength(4);
    for (const row of x)
      for (const [v] of row)
        expect([0, 60, 120, 180].map((p) => p / 255).some((p) => Math.abs(p - v!) < 1e-6)).toBe(true);
  });

  it('says what to change when a dataset does not fit the network', () => {
    const pre = preprocessSchema.parse({});
    expect(
      checkCompatible({ shape, name: '', classes: [], train: set, test: set }, input(1, 4), pre),
    ).toBeNull();
    expect(
      checkCompatible({ shape, name: '', classes: [], train: set, test: set }, input(1, 96), pre),
    ).toMatch(/Set resize to 96/);
    expect(
      checkCompatible({ shape: [3, 4, 4], name: '', classes: [], train: set, test: set }, input(1, 4), pre),
    ).toMatch(/channels to 3/);
  });
});
