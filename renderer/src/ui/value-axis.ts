/** What a chart's values are: the axis's name with its unit, how a value reads, and whether log scale is offered. */
export interface ValueAxis {
  label: string;
  format: 'percent' | 'number';
  /** Offered as a switch, on at first when true (losses span decades: 2.3 at the start, 0.2 later). */
  log?: boolean;
}

export const ACCURACY_AXIS: ValueAxis = { label: 'accuracy (%)', format: 'percent' };
export const LOSS_AXIS: ValueAxis = { label: 'cross-entropy', format: 'number', log: true };

/**
 * A value as an axis tick (short: "40%", "0.25") or in the readout under the pointer (precise: "40.6%",
 * "0.2513"); "—" where a series has none at that step.
 */
export function formatValue(
  value: number | null,
  format: ValueAxis['format'],
  use: 'tick' | 'readout',
): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (format === 'percent') return `${(100 * value).toFixed(use === 'tick' ? 0 : 1)}%`;
  const digits = use === 'tick' ? 3 : 4;
  // toPrecision keeps small rates readable (0.0001) and drops the trailing zeros that it pads with.
  return Math.abs(value) >= 10_000 || (value !== 0 && Math.abs(value) < 1e-4)
    ? value.toExponential(digits - 1)
    : String(Number(value.toPrecision(digits)));
}

/**
 * The ticks of a log axis from `min` to `max`: powers of ten with their 2 and 5 over more than a decade, and
 * finer steps within one (a loss from 2.6 down to 0.8 gets 0.8, 1, 1.5, 2, not the one tick at 1 that whole
 * decades give).
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > min)) return [];
  const decades = Math.log10(max / min);
  const mantissas = decades > 3 ? [1] : decades > 1 ? [1, 2, 5] : [1, 1.5, 2, 3, 4, 5, 6, 7, 8];
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++)
    for (const m of mantissas) {
      // Rounded: 3 × 10^-1 is 0.30000000000000004 in floating point.
      const tick = Number((m * 10 ** e).toPrecision(6));
      if (tick >= min && tick <= max) ticks.push(tick);
    }
  return ticks;
}
