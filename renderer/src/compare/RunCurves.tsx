import type { ComparisonEntry } from '../../../shared/compare/comparison-rows.ts';
import type { KeptRun } from '../../../shared/train/run-record.ts';
import { SeriesChart } from '../ui/SeriesChart.tsx';
import { ACCURACY_AXIS } from '../ui/value-axis.ts';
import { useCompare } from './compare-store.ts';
import { overlaySeries } from './overlay-series.ts';

const COLORS = ['#2a4f9a', '#d9822b', '#2e8540', '#a23b72', '#6b4fbb', '#c62828', '#00838f', '#8d6e63'];

/** Evaluation accuracy of the ticked runs on one chart, by epoch or by wall time. */
export function RunCurves({ runs, entries }: { runs: KeptRun[]; entries: ComparisonEntry[] }) {
  const { curves, curveAxis } = useCompare();
  const chosen = runs.filter((r) => curves.includes(r.id));
  const curvesOf = chosen.map((r) => {
    let seconds = 0;
    const x = r.record.epochs.map((e) => (curveAxis === 'epoch' ? e.epoch : (seconds += e.seconds)));
    return { x, y: r.record.epochs.map((e) => e.evalAccuracy) };
  });
  const { x, ys } = overlaySeries(curvesOf);
  const nameOf = (id: string) => entries.find((e) => e.runId === id)?.row.name ?? id;
  return (
    <div className="run-curves">
      <div className="run-curves-head">
        <strong>Curves</strong>
        <select
          value={curveAxis}
          onChange={(e) => useCompare.setState({ curveAxis: e.target.value === 'time' ? 'time' : 'epoch' })}
          aria-label="Curves by"
        >
          <option value="epoch">by epoch</option>
          <option value="time">by wall time (s)</option>
        </select>
      </div>
      {chosen.length === 0 ? (
        <p className="hint">Tick runs in the table to overlay their evaluation accuracy.</p>
      ) : (
        <SeriesChart
          title="Evaluation accuracy"
          x={x}
          xLabel={curveAxis === 'epoch' ? 'epoch' : 'seconds'}
          series={chosen.map((r, i) => ({
            label: `${nameOf(r.id)} (${r.id})`,
            values: ys[i]!,
            color: COLORS[i % COLORS.length]!,
          }))}
          y={ACCURACY_AXIS}
          points
          testId="run-curves"
        />
      )}
    </div>
  );
}
