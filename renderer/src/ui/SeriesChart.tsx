import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const HEIGHT = 120;

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

/** A live line chart (uPlot: 100k points redrawn in tens of ms): made once, fed new data as it comes. */
export function SeriesChart(props: {
  title: string;
  x: number[];
  series: Series[];
  xLabel: string;
  testId: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const labels = props.series.map((s) => `${s.label}:${s.color}`).join('|');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = new uPlot(
      {
        width: el.clientWidth || 300,
        height: HEIGHT,
        legend: { show: false },
        scales: { x: { time: false } },
        axes: [{ label: props.xLabel, size: 36 }, { size: 44 }],
        series: [
          { label: props.xLabel },
          ...props.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5 })),
        ],
      },
      [[], ...props.series.map(() => [])],
      el,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth || 300, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // The chart is made again only when its series change, not when their data does.
  }, [labels, props.xLabel]);

  useEffect(() => {
    plot.current?.setData([props.x, ...props.series.map((s) => s.values)]);
  }, [props.x, props.series]);

  return (
    <figure className="series-chart" data-testid={props.testId} data-points={props.x.length}>
      <figcaption>
        {props.title}
        {props.series.length > 1 &&
          props.series.map((s) => (
            <span key={s.label} className="legend" style={{ color: s.color }}>
              {' '}
              ● {s.label}
            </span>
          ))}
      </figcaption>
      <div ref={box} />
    </figure>
  );
}
