import { describe, expect, it } from 'vitest';
import { overlaySeries } from './overlay-series.ts';

describe('curves on one axis', () => {
  it('joins the x values and leaves a gap where a curve has no value', () => {
    expect(
      overlaySeries([
        { x: [1, 2, 3], y: [0.5, 0.6, 0.7] },
        { x: [1.5, 3], y: [0.4, 0.8] },
      ]),
    ).toEqual({
      x: [1, 1.5, 2, 3],
      ys: [
        [0.5, null, 0.6, 0.7],
        [null, 0.4, null, 0.8],
      ],
    });
    expect(overlaySeries([])).toEqual({ x: [], ys: [] });
  });
});
