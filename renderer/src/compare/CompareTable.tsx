import type { ComparisonEntry } from '../../../shared/compare/comparison-rows.ts';
import { COMPARISON_COLUMNS, shownCell } from '../../../shared/compare/run-table.ts';
import { useCompare } from './compare-store.ts';
import { openEntry } from './open-entry.ts';

function SortHeader({ column }: { column: string }) {
  const sort = useCompare((s) => s.sort);
  const active = sort?.column === column;
  const mark = active ? (sort.descending ? ' ▼' : ' ▲') : '';
  return (
    <th aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button
        onClick={() =>
          useCompare.setState({ sort: { column, descending: active ? !sort.descending : true } })
        }
        title="Sort by this column (again: the other way)"
        data-testid={`sort-${column}`}
      >
        {COMPARISON_COLUMNS[column]?.label ?? column}
        {mark}
      </button>
    </th>
  );
}

/** The variants and runs, one row each; a run's box overlays its curve, its name opens it. */
export function CompareTable({ entries, columns }: { entries: ComparisonEntry[]; columns: string[] }) {
  const curves = useCompare((s) => s.curves);
  const toggle = (id: string, on: boolean) =>
    useCompare.setState({ curves: on ? [...curves, id] : curves.filter((c) => c !== id) });
  return (
    <div className="compare-table-box">
      <table className="compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th title="Overlay its curves">curve</th>
            {columns.map((c) => (
              <SortHeader key={c} column={c} />
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.key} className={e.runId ? 'run-row' : 'variant-row'} data-testid={`row-${e.key}`}>
              <td>
                {e.runId && (
                  <input
                    type="checkbox"
                    checked={curves.includes(e.runId)}
                    onChange={(ev) => toggle(e.runId!, ev.target.checked)}
                    aria-label={`Overlay the curves of run ${e.runId}`}
                  />
                )}
              </td>
              {columns.map((c) =>
                c === 'name' ? (
                  <td key={c} className="name-cell">
                    <button
                      onClick={() => openEntry(e)}
                      title={e.runId ? 'Show this run and its variant' : 'Show this variant on the canvas'}
                    >
                      {e.row.name}
                    </button>
                    {e.problem && (
                      <span className="field-error" title={e.problem}>
                        {' '}
                        ⚠ {e.problem}
                      </span>
                    )}
                  </td>
                ) : (
                  <td key={c} data-column={c}>
                    {shownCell(c, e.row[c])}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
