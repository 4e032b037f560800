/** A point of the trade-off chart: both coordinates are better when larger (speed, accuracy). */
export interface TradeOffPoint {
  x: number;
  y: number;
}

/**
 * The indices of the points no other point beats on both axes (at least as good on each, better on one):
 * the Pareto front, sorted by x. Points with a coordinate that is not a number are never on it.
 */
export function paretoFront(points: readonly TradeOffPoint[]): number[] {
  const order = points
    .map((p, i) => ({ ...p, i }))
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    // Best x first; among equal x, best y first, so a sweep keeps only the best of each x.
    .sort((a, b) => b.x - a.x || b.y - a.y);
  const front: number[] = [];
  let bestY = -Infinity;
  for (const p of order)
    if (p.y > bestY) {
      front.push(p.i);
      bestY = p.y;
    }
  return front.reverse();
}
