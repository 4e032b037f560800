import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './series-chart.css';
import { formatValue, logTicks, type ValueAxis } from './value-axis.ts';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
  /** Drawn thin and pale behind the others: the raw values a smoothed series is drawn over. */
  faint?: boolean;
}

/** Whole steps on the x axis (batches, epochs): never a tick at 1.5. */
const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];

/** A log scale draws only positive numbers: any other value is a gap, not a crash of the scale. */
const positive = (values: (number | null)[]) => values.map((v) => (v !== null && v > 0 ? v : null));

function chartOptions(
  width: number,
  height: number,
  props: { xLabel: string; y: ValueAxis; series: Series[]; points: boolean },
  log: boolean,
  onCursor: (u: uPlot) => void,
): uPlot.Options {
  const { y } = props;
  return {
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: false },
      // A log scale spans the data with a margin, not whole decades (2.4 to 0.7 is not drawn from 10 down).
      y: log
        ? { distr: 3, log: 10, range: (_, min, max) => [(min ?? 1) / 1.2, (max ?? 1) * 1.2] }
        : y.format === 'percent'
          ? { range: [0, 1] }
          : {},
    },
    axes: [
      { label: props.xLabel, labelSize: 14, size: 30, space: 40, incrs: WHOLE_STEPS },
      {
        label: log ? `${y.label} (log)` : y.label,
        labelSize: 14,
        size: 50,
        space: 18,
        values: (_, splits) => splits.map((v) => formatValue(v, y.format, 'tick')),
        // On a log scale: our ticks, each labelled (uPlot's own filter labels only some of each decade).
        ...(log
          ? {
              splits: (_: uPlot, _axis: number, min: number, max: number) => logTicks(min, max),
              filter: (_: uPlot, splits: number[]) => splits,
            }
          : {}),
      },
    ],
    series: [
      { label: props.xLabel },
      ...props.series.map((s) => ({
        label: s.label,
        stroke: s.faint ? `${s.color}55` : s.color,
        width: s.faint ? 1 : 1.75,
        spanGaps: true,
        points: { show: props.points && !s.faint, size: 6 },
      })),
    ],
    hooks: { setCursor: [onCursor] },
  };
}

/**
 * A live line chart (uPlot: 100k points redrawn in tens of ms), made once and fed new data as it comes: axes
 * with their units, the values under the pointer, and a log scale to switch to where `y.log` offers one.
 */
export function SeriesChart(props: {
  title: string;
  x: number[];
  series: Series[];
  xLabel: string;
  y: ValueAxis;
  /** Marks each point (epochs: a few, each worth seeing); lines join them either way. */
  points?: boolean;
  testId: string;
}) {
  const { y } = props;
  const [log, setLog] = useState(y.log === true);
  const box = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const shape = `${props.series.map((s) => `${s.label}:${s.color}:${s.faint}`).join('|')}|${y.label}|${log}`;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const size = () => ({ width: el.clientWidth || 300, height: el.clientHeight || 140 });
    const showValues = (u: uPlot) => {
      const i = u.cursor.idx;
      const { x, series, xLabel } = latest.current;
      if (readout.current)
        readout.current.textContent =
          i === null || i === undefined || x[i] === undefined
            ? ''
            : `${xLabel} ${x[i]}: ${series
                .map((s) => `${s.label} ${formatValue(s.values[i] ?? null, y.format, 'readout')}`)
                .join(' · ')}`;
    };
    const { width, height } = size();
    const chart = new uPlot(
      chartOptions(width, height, { ...props, points: props.points === true }, log, showValues),
      [[], ...props.series.map(() => [])],
      el,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize(size()));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // The chart is made again only when what it draws changes (its series, its scale), not its data.
  }, [shape, props.xLabel]);

  useEffect(() => {
    plot.current?.setData([props.x, ...props.series.map((s) => (log ? positive(s.values) : s.values))]);
  }, [props.x, props.series, shape]);

  return (
    <figure className="series-chart" data-testid={props.testId} data-points={props.x.length}>
      <figcaption>
        <span>{props.title}</span>
        {props.series.length > 1 &&
          props.series
            .filter((s) => !s.faint)
            .map((s) => (
              <span key={s.label} className="legend" style={{ color: s.color }}>
                ● {s.label}
              </span>
            ))}
        {y.log !== undefined && (
          <label className="log-switch">
            <input
              type="checkbox"
              checked={log}
              onChange={(e) => setLog(e.target.checked)}
              data-testid={`${props.testId}-log`}
            />
            log scale
          </label>
        )}
      </figcaption>
      <div ref={box} className="plot" />
      <span ref={readout} className="chart-readout" data-testid={`${props.testId}-readout`} />
    </figure>
  );
}
