/**
 * A noisy series smoothed as TensorBoard does: an exponential moving average of weight `weight` (0 leaves the
 * values as they are, 0.99 nearly flattens them), debiased so that its start is not pulled towards zero. A
 * missing or non-finite value stays missing and does not enter the average.
 */
export function smoothed(values: readonly (number | null)[], weight: number): (number | null)[] {
  let average = 0;
  let steps = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    average = average * weight + (1 - weight) * v;
    steps++;
    return weight === 0 ? v : average / (1 - weight ** steps);
  });
}
