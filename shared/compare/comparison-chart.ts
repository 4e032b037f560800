import { formatCount, formatFlops } from '../shapes/quantity-format.ts';
import type { ComparisonRow } from './static-figures.ts';
import { tradeOffChart, type TradeOffChart } from './trade-off-chart.ts';

/** What the chart's x axis can show: the column it reads and which way is better. */
export const CHART_X = {
  inference: { label: 'inference samples/s', column: 'inferenceSamplesPerSec', lowerIsBetter: false },
  training: { label: 'training samples/s', column: 'trainSamplesPerSec', lowerIsBetter: false },
  flops: { label: 'FLOPs per sample', column: 'flops', lowerIsBetter: true },
} as const;
export type ChartX = keyof typeof CHART_X;

export const isChartX = (text: unknown): text is ChartX => typeof text === 'string' && text in CHART_X;

/**
 * The chart of comparison rows (the CLI's --chart and the app's compare view): x as chosen, y = test
 * accuracy, circle area = weights plus activations for a batch. `ids[i]` names row i's circle.
 */
export function comparisonChart(
  rows: readonly ComparisonRow[],
  ids: readonly string[],
  options: { x: ChartX; batch: number; paretoOnly?: boolean },
): TradeOffChart {
  const x = CHART_X[options.x];
  const number = (v: unknown) => (typeof v === 'number' ? v : NaN);
  return tradeOffChart(
    rows.map((r, i) => ({
      id: ids[i]!,
      name: r.name,
      x: number(r[x.column]),
      y: number(r['testAccuracy']),
      size: number(r['weightBytes']) + number(r['activationBytes']) || 0,
    })),
    {
      xLabel: x.label,
      yLabel: 'test accuracy',
      sizeLabel: `memory (weights + activations for a batch of ${options.batch})`,
      lowerXIsBetter: x.lowerIsBetter,
      paretoOnly: options.paretoOnly ?? false,
      yTick: (a) => `${(100 * a).toFixed(1)}%`,
      xTick: options.x === 'flops' ? formatFlops : (n) => formatCount(Math.round(n)),
    },
  );
}
