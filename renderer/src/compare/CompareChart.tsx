import { comparisonChart, CHART_X, isChartX } from '../../../shared/compare/comparison-chart.ts';
import type { ComparisonEntry } from '../../../shared/compare/comparison-rows.ts';
import { deliverExport } from '../document/deliver-export.ts';
import { pngDataUrl } from '../ui/png-data-url.ts';
import { useDocument } from '../document/document-store.ts';
import { useCompare } from './compare-store.ts';
import { openEntry } from './open-entry.ts';

/**
 * The accuracy–speed–memory chart of the runs shown: the SVG the CLI writes, drawn here (its text escaped by
 * its maker). Hovering a circle names the run; clicking opens it.
 */
export function CompareChart({ entries }: { entries: ComparisonEntry[] }) {
  const { chartX, paretoOnly, batch } = useCompare();
  const name = useDocument((s) => s.name);
  const runs = entries.filter((e) => e.runId);
  const chart = comparisonChart(
    runs.map((e) => e.row),
    runs.map((e) => e.key),
    { x: chartX, batch, paretoOnly },
  );
  const onClick = (target: EventTarget) => {
    const key = (target as Element).closest('[data-id]')?.getAttribute('data-id');
    const entry = runs.find((e) => e.key === key);
    if (entry) openEntry(entry);
  };
  return (
    <figure className="compare-chart" data-testid="compare-chart" data-front={chart.front.join(' ')}>
      <figcaption>
        <label>
          x{' '}
          <select
            value={chartX}
            onChange={(e) => isChartX(e.target.value) && useCompare.setState({ chartX: e.target.value })}
            data-testid="chart-x"
          >
            {Object.entries(CHART_X).map(([id, x]) => (
              <option key={id} value={id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={paretoOnly}
            onChange={(e) => useCompare.setState({ paretoOnly: e.target.checked })}
            data-testid="pareto-only"
          />
          Pareto only
        </label>
        <button onClick={() => void deliverExport(`${name} chart`, 'svg', chart.svg)}>SVG</button>
        <button
          onClick={() => void pngDataUrl(chart).then((png) => deliverExport(`${name} chart`, 'png', png))}
        >
          PNG
        </button>
        {runs.length === 0 && <span className="hint">Train variants to place them on the chart.</span>}
      </figcaption>
      <div
        className="chart-svg"
        onClick={(e) => onClick(e.target)}
        // The SVG is made by tradeOffChart, which escapes every name in it.
        dangerouslySetInnerHTML={{ __html: chart.svg }}
      />
    </figure>
  );
}
