import { useEffect, useMemo, useState } from 'react';
import { comparisonEntries, hashOf, type ComparisonEntry } from '../../../shared/compare/comparison-rows.ts';
import { comparisonCsv, differingColumns, tableColumns } from '../../../shared/compare/run-table.ts';
import { COMPARISON_COLUMNS, sortRows } from '../../../shared/compare/run-table.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import type { Variant } from '../../../shared/graph/file-format.ts';
import type { KeptRun } from '../../../shared/train/run-record.ts';
import { deliverExport } from '../document/deliver-export.ts';
import { currentVariants, useDocument } from '../document/document-store.ts';
import { designToTrain } from '../training/design-fit.ts';
import { keptRunGraph, loadRuns } from '../training/kept-runs.ts';
import { measureInference } from '../training/own-worker.ts';
import { stopQueue, trainEach } from '../training/training-actions.ts';
import { useTraining } from '../training/training-store.ts';
import { CompareChart } from './CompareChart.tsx';
import { CompareTable } from './CompareTable.tsx';
import { useCompare, type CompareState } from './compare-store.ts';
import { RunCurves } from './RunCurves.tsx';
import { VariantDiff } from './VariantDiff.tsx';

/** The kept runs as records, read once per list. */
function useKeptRuns(): KeptRun[] {
  const runs = useTraining((s) => s.runs);
  return useMemo(() => runs.filter((r): r is KeptRun => 'record' in r), [runs]);
}

/**
 * The graphs of runs that trained no variant as it now stands (their static figures come from them): read
 * from their folders, once each. A run of a current variant needs no read.
 */
function useRunGraphs(runs: KeptRun[], variants: Variant[]): Map<string, Graph> {
  const [graphs, setGraphs] = useState(new Map<string, Graph>());
  useEffect(() => {
    let live = true;
    const current = new Set(variants.map((v) => hashOf(v.graph)));
    const missing = runs.filter((r) => !current.has(r.record.graph.hash) && !graphs.has(r.id));
    void Promise.all(missing.map(async (r) => [r.id, await keptRunGraph(r.id)] as const)).then((read) => {
      const found = read.filter((e): e is [string, Graph] => e[1] !== null);
      if (live && found.length) setGraphs((g) => new Map([...g, ...found]));
    });
    return () => void (live = false);
    // Read again only when the runs or the variants change (not when a graph read arrives).
  }, [runs, variants]);
  return graphs;
}

/** The rows the table shows: filtered by name, sorted as asked. */
function visibleEntries(
  entries: ComparisonEntry[],
  { filter, sort }: Pick<CompareState, 'filter' | 'sort'>,
): ComparisonEntry[] {
  const needle = filter.trim().toLowerCase();
  const kept = entries.filter((e) => !needle || e.row.name.toLowerCase().includes(needle));
  if (!sort) return kept;
  const order = sortRows(
    kept.map((e) => e.row),
    sort.column,
    sort.descending,
  );
  return order.map((row) => kept.find((e) => e.row === row)!);
}

/**
 * Compare: every variant of the document and every kept run in one table (static figures at once, training
 * figures once trained), the accuracy–speed–memory chart with its Pareto front, the chosen runs' curves, and
 * the diff of two variants.
 */
export function CompareView() {
  const settings = useCompare();
  const state = useDocument();
  const variants = useMemo(() => currentVariants(state), [state.variants, state.variant, state.history]);
  const runs = useKeptRuns();
  useEffect(() => void loadRuns(), [state.path, state.doc.draft]);
  const runGraphs = useRunGraphs(runs, variants);
  const entries = useMemo(
    () => comparisonEntries(variants, runs, runGraphs, settings.batch, settings.measured),
    [variants, runs, runGraphs, settings.batch, settings.measured],
  );
  const shown = visibleEntries(entries, settings);
  const shownRows = shown.map((e) => e.row);
  const allColumns = tableColumns(shownRows);
  const columns = (settings.differencesOnly ? differingColumns(shownRows) : allColumns).filter(
    (c) => c === 'name' || !settings.hidden.includes(c),
  );
  // Speeds are measured as variants appear or change (not while a run trains: it would skew both).
  const training = useTraining(
    (s) => s.run !== null && ['preparing', 'training', 'saving'].includes(s.run.status),
  );
  useEffect(() => {
    if (training) return;
    const timer = setTimeout(() => void measureVariants(), 500);
    return () => clearTimeout(timer);
  }, [variants, training]);
  return (
    <section className="compare-view" aria-label="Compare" data-testid="compare-view">
      <CompareHeader entries={entries} shown={shown} columns={columns} allColumns={allColumns} />
      {entries.length === 0 ? (
        <p className="hint">
          Nothing to compare yet: duplicate the design as a variant, or sweep a parameter.
        </p>
      ) : (
        <>
          <CompareTable entries={shown} columns={columns} />
          <div className="compare-lower">
            <CompareChart entries={shown} />
            <div className="compare-side">
              <RunCurves runs={runs} entries={entries} />
              <VariantDiff variants={variants} entries={entries} />
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function CompareHeader(props: {
  entries: ComparisonEntry[];
  shown: ComparisonEntry[];
  columns: string[];
  allColumns: string[];
}) {
  const settings = useCompare();
  const queue = useTraining((s) => s.queue);
  const name = useDocument((s) => s.name);
  const untrained = props.entries.filter((e) => e.runId === null && e.variant !== null);
  const trainUntrained = () => trainEach(untrained.map((e) => designToTrain(e.variant!)));
  return (
    <header className="compare-header">
      <h2>Compare</h2>
      <span className="hint">
        {props.entries.filter((e) => e.runId).length} runs · {untrained.length} variants not trained
      </span>
      <label>
        Batch{' '}
        <input
          type="number"
          min={1}
          max={8192}
          value={settings.batch}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 1 && n <= 8192) useCompare.setState({ batch: n });
          }}
          title="Activation memory is for a batch of this size"
          data-testid="compare-batch"
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.differencesOnly}
          onChange={(e) => useCompare.setState({ differencesOnly: e.target.checked })}
          data-testid="differences-only"
        />
        Differences only
      </label>
      <ColumnsMenu allColumns={props.allColumns} />
      <input
        type="search"
        placeholder="Filter by name"
        value={settings.filter}
        onChange={(e) => useCompare.setState({ filter: e.target.value })}
        aria-label="Filter by name"
      />
      <button
        onClick={() =>
          void deliverExport(
            `${name} comparison`,
            'csv',
            comparisonCsv(
              props.shown.map((e) => e.row),
              props.columns,
            ),
          )
        }
        data-testid="compare-csv"
      >
        Export CSV
      </button>
      <MeasureButton />
      {queue ? (
        <button onClick={stopQueue} data-testid="stop-queue">
          Stop the queue ({queue.done + 1} of {queue.names.length})
        </button>
      ) : (
        <button
          onClick={trainUntrained}
          disabled={untrained.length === 0}
          title="Train each variant not trained yet, one after another, with the Train panel's recipe"
          data-testid="train-each"
        >
          Train each untrained ({untrained.length})
        </button>
      )}
      <button
        className="compare-close"
        onClick={() => useCompare.setState({ open: false })}
        title="Close (Escape)"
      >
        Close
      </button>
    </header>
  );
}

/**
 * Measures the inference speed of every variant not measured as it stands, in a worker of its own (one
 * measurement at a time; a failed one says why and is tried again on the next change or click).
 */
async function measureVariants(): Promise<void> {
  const graphs = currentVariants(useDocument.getState()).map((v) => v.graph);
  const { measured, batch, measuring } = useCompare.getState();
  const todo = graphs.filter((g) => !measured.has(hashOf(g)));
  if (!todo.length || measuring?.startsWith('Measuring')) return;
  useCompare.setState({ measuring: `Measuring ${todo.length} variants…` });
  try {
    const { backend, results } = await measureInference(todo, batch);
    const next = new Map(useCompare.getState().measured);
    results.forEach((r, i) => {
      if (r.samplesPerSec !== null)
        next.set(hashOf(todo[i]!), { samplesPerSec: r.samplesPerSec, backend: `${backend} (measured)` });
    });
    const failed = results.find((r) => r.problem)?.problem;
    useCompare.setState({ measured: next, measuring: failed ? `Not measured: ${failed}` : null });
  } catch (e) {
    useCompare.setState({ measuring: `Could not measure: ${(e as Error).message}` });
  }
}

function MeasureButton() {
  const measuring = useCompare((s) => s.measuring);
  const busy = measuring?.startsWith('Measuring') ?? false;
  return (
    <>
      <button
        onClick={() => void measureVariants()}
        disabled={busy}
        title="Inference samples/s of each untrained variant at this batch size, on the Train panel's backend"
        data-testid="measure-speed"
      >
        Measure speed
      </button>
      {measuring && (
        <span className="hint" data-testid="measure-status">
          {measuring}
        </span>
      )}
    </>
  );
}

function ColumnsMenu({ allColumns }: { allColumns: string[] }) {
  const hidden = useCompare((s) => s.hidden);
  return (
    <details className="columns-menu">
      <summary>Columns</summary>
      <div>
        {allColumns
          .filter((c) => c !== 'name')
          .map((c) => (
            <label key={c} className="check">
              <input
                type="checkbox"
                checked={!hidden.includes(c)}
                onChange={(e) =>
                  useCompare.setState({
                    hidden: e.target.checked ? hidden.filter((h) => h !== c) : [...hidden, c],
                  })
                }
              />
              {COMPARISON_COLUMNS[c]?.label ?? c}
            </label>
          ))}
      </div>
    </details>
  );
}
