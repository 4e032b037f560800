/** What a chart's values are: the axis's name with its unit, how a value reads, and whether log scale is offered. */
export interface ValueAxis {
  label: string;
  format: 'percent' | 'number';
  /** Offered as a switch, on at first when true (losses span decades: 2.3 at the start, 0.2 later). */
  log?: boolean;
}

export const ACCURACY_AXIS: ValueAxis = { label: 'accuracy (%)', format: 'percent' };
export const LOSS_AXIS: ValueAxis = { label: 'loss', format: 'number', log: true };

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
