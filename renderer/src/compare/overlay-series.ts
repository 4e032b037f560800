/** One run's curve: its x values (epochs, or seconds) and y values, as long as each other. */
export interface Curve {
  x: number[];
  y: number[];
}

/**
 * Curves with different x values on one x axis (what a line chart takes): the union of their x values,
 * sorted, and for each curve its y at each x, or null where it has none (the chart leaves a gap).
 */
export function overlaySeries(curves: readonly Curve[]): { x: number[]; ys: (number | null)[][] } {
  const x = [...new Set(curves.flatMap((c) => c.x))].sort((a, b) => a - b);
  const ys = curves.map((c) => {
    const at = new Map(c.x.map((v, i) => [v, c.y[i]!]));
    return x.map((v) => at.get(v) ?? null);
  });
  return { x, ys };
}
