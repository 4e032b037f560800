import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paretoFront } from './pareto.ts';

describe('the Pareto front', () => {
  it('keeps the points no other beats on both axes, by x', () => {
    const points = [
      { x: 100, y: 0.9 }, // fast, good
      { x: 50, y: 0.95 }, // slow, best
      { x: 80, y: 0.85 }, // beaten by the first on both
      { x: 200, y: 0.7 }, // fastest
      { x: 200, y: 0.6 }, // as fast, worse
      { x: NaN, y: 0.99 }, // never trained: no speed
    ];
    expect(paretoFront(points)).toEqual([1, 0, 3]);
  });

  it('is exactly the set of undominated points, for any points', () => {
    const point = fc.record({ x: fc.integer({ min: 0, max: 20 }), y: fc.integer({ min: 0, max: 20 }) });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 30 }), (points) => {
        const front = new Set(paretoFront(points));
        const dominated = (p: (typeof points)[0]) =>
          points.some((q) => q.x >= p.x && q.y >= p.y && (q.x > p.x || q.y > p.y));
        for (const [i, p] of points.entries()) if (front.has(i)) expect(dominated(p)).toBe(false);
        // Each undominated value pair is on the front once (equal points are one).
        const undominated = new Set(points.filter((p) => !dominated(p)).map((p) => `${p.x},${p.y}`));
        expect(front.size).toBe(undominated.size);
      }),
    );
  });
});
