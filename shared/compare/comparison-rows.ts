import type { Graph } from '../graph/document.ts';
import type { Variant } from '../graph/file-format.ts';
import { graphHash } from '../graph/graph-hash.ts';
import type { KeptRun } from '../train/run-record.ts';
import { runRow } from './run-table.ts';
import { staticFigures, type ComparisonRow, type StaticFigures } from './static-figures.ts';

/** A design's measured inference speed, and the backend it ran on. */
export interface MeasuredSpeed {
  samplesPerSec: number;
  backend: string;
}

/** A row of the compare view: a run, or a variant not trained yet (static figures only). */
export interface ComparisonEntry {
  /** "run:<id>" or "variant:<index>": stable while the view is open. */
  key: string;
  row: ComparisonRow;
  runId: string | null;
  /** The variant the row is (or whose graph the run trained, when it is still that graph). */
  variant: number | null;
  /** Why the design has no figures (a problem in it), when it has one. */
  problem: string | null;
}

const hashes = new WeakMap<Graph, string>();

function figuresOf(
  graph: Graph | null,
  batch: number,
): { figures: StaticFigures | null; problem: string | null } {
  if (!graph) return { figures: null, problem: null };
  const r = staticFigures(graph, batch);
  return r.ok ? { figures: r.value, problem: null } : { figures: null, problem: r.error };
}

/** A graph's hash, computed once per graph value. */
export const hashOf = (graph: Graph): string => {
  let h = hashes.get(graph);
  if (h === undefined) hashes.set(graph, (h = graphHash(graph)));
  return h;
};

/**
 * One table of a document's variants and runs. A run names the variant whose graph it trained (by hash; by
 * name, marked "earlier", when the variant changed since); its static figures come from that graph, which
 * is the variant's or, for an earlier one, the run's own copy (`runGraphs`, when read). A variant no run
 * trained as it stands is a row of its own, with its static figures and, once measured, its inference speed.
 */
export function comparisonEntries(
  variants: readonly Variant[],
  runs: readonly KeptRun[],
  runGraphs: ReadonlyMap<string, Graph>,
  batch: number,
  /** Inference speeds measured without training, by graph hash. */
  measured: ReadonlyMap<string, MeasuredSpeed> = new Map(),
): ComparisonEntry[] {
  const byHash = new Map(variants.map((v, i) => [hashOf(v.graph), i]));
  const trained = new Set<number>();
  const runEntries = runs.map((run): ComparisonEntry => {
    const exact = byHash.get(run.record.graph.hash);
    if (exact !== undefined) trained.add(exact);
    const named = variants.findIndex((v) => v.name === run.record.graph.name);
    const name =
      exact !== undefined
        ? variants[exact]!.name
        : named >= 0
          ? `${run.record.graph.name} (earlier)`
          : run.record.graph.name;
    const graph = exact !== undefined ? variants[exact]!.graph : (runGraphs.get(run.id) ?? null);
    const { figures, problem } = figuresOf(graph, batch);
    return {
      key: `run:${run.id}`,
      row: { ...runRow(name, run.record, figures), run: run.id },
      runId: run.id,
      variant: exact ?? null,
      problem,
    };
  });
  const untrained = variants.flatMap((v, i): ComparisonEntry[] => {
    if (trained.has(i)) return [];
    const { figures, problem } = figuresOf(v.graph, batch);
    const hash = hashOf(v.graph);
    const speed = measured.get(hash);
    return [
      {
        key: `variant:${i}`,
        row: {
          name: v.name,
          hash: hash.slice(0, 8),
          ...(figures ?? {}),
          run: 'not trained',
          ...(speed ? { backend: speed.backend, inferenceSamplesPerSec: speed.samplesPerSec } : {}),
        },
        runId: null,
        variant: i,
        problem,
      },
    ];
  });
  return [...untrained, ...runEntries];
}
