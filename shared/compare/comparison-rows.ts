import type { Graph } from '../graph/document.ts';
import type { Variant } from '../graph/file-format.ts';
import { graphHash } from '../graph/graph-hash.ts';
import type { KeptRun, RunRecord } from '../train/run-record.ts';
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
 * The variant a run belongs to, and whether it trained that variant as it stands: by the variant's id (its
 * graph's hash then says whether it changed since); a run from before ids, or of a variant since removed, by
 * the design it trained (the variant of its name first), else by its name, as earlier.
 */
function ownerOf(
  trained: RunRecord['graph'],
  variants: readonly Variant[],
): { index: number; exact: boolean } | null {
  const byId = trained.variant === undefined ? -1 : variants.findIndex((v) => v.id === trained.variant);
  if (byId >= 0) return { index: byId, exact: hashOf(variants[byId]!.graph) === trained.hash };
  const same = variants.flatMap((v, i) => (hashOf(v.graph) === trained.hash ? [i] : []));
  const index = same.find((i) => variants[i]!.name === trained.name) ?? same[0];
  if (index !== undefined) return { index, exact: true };
  const named = variants.findIndex((v) => v.name === trained.name);
  return named >= 0 ? { index: named, exact: false } : null;
}

/**
 * One table of a document's variants and runs. A run belongs to a variant (see ownerOf; marked "earlier"
 * when the variant changed since); its static figures come from that graph, which
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
  const trained = new Set<number>();
  const runEntries = runs.map((run): ComparisonEntry => {
    const owner = ownerOf(run.record.graph, variants);
    const exact = owner?.exact ? owner.index : undefined;
    if (exact !== undefined) trained.add(exact);
    const name = !owner
      ? run.record.graph.name
      : `${variants[owner.index]!.name}${owner.exact ? '' : ' (earlier)'}`;
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
