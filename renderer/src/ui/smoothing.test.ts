import { describe, expect, it } from 'vitest';
import { smoothed } from './smoothing.ts';

describe('smoothing a per-batch series', () => {
  it('leaves the values as they are at weight 0', () => {
    expect(smoothed([2.3, 1, null, 0.5], 0)).toEqual([2.3, 1, null, 0.5]);
  });

  it('starts at the first value (debiased), then follows slowly', () => {
    const out = smoothed([2, 0, 0], 0.5);
    expect(out[0]).toBeCloseTo(2);
    // (0.5·1 + 0) / (1 − 0.25) = 0.6667, then (0.25·1 … ) / (1 − 0.125) = 0.2857
    expect(out[1]).toBeCloseTo(2 / 3);
    expect(out[2]).toBeCloseTo(2 / 7);
  });

  it('keeps a flat series flat, and a gap a gap that does not enter the average', () => {
    expect(smoothed([1, 1, 1, 1], 0.9).map((v) => v!.toFixed(6))).toEqual([
      '1.000000',
      '1.000000',
      '1.000000',
      '1.000000',
    ]);
    const out = smoothed([1, Number.NaN, null, 1], 0.9);
    expect(out[1]).toBeNull();
    expect(out[2]).toBeNull();
    expect(out[3]).toBeCloseTo(1);
  });
});
