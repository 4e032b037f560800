import { diffGraphs } from '../../../shared/compare/graph-diff.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import { useDocument } from './document-store.ts';
import { create } from 'zustand';

/** The two variants diffed (indices: B against A), and whether the canvas marks B's nodes. */
export interface VariantDiffState {
  pair: { a: number; b: number } | null;
  onCanvas: boolean;
}

export const useVariantDiff = create<VariantDiffState>(() => ({ pair: null, onCanvas: false }));

/** How a node of the shown variant differs from the variant it is compared with. */
export interface DiffMark {
  kind: 'added' | 'changed';
  /** What changed, for the badge's tooltip. */
  text: string;
}

const marksCache = new WeakMap<Graph, WeakMap<Graph, Map<string, DiffMark>>>();

/** The marks of graph B's nodes against graph A (cached per pair of graphs: every node asks). */
export function diffMarks(a: Graph, b: Graph): Map<string, DiffMark> {
  const byB = marksCache.get(a) ?? new WeakMap<Graph, Map<string, DiffMark>>();
  marksCache.set(a, byB);
  let marks = byB.get(b);
  if (marks) return marks;
  const d = diffGraphs(a, b);
  marks = new Map<string, DiffMark>([
    ...d.added.map((n): [string, DiffMark] => [
      n.id,
      { kind: 'added', text: `added (not in the other variant)` },
    ]),
    ...d.changed.map((c): [string, DiffMark] => [
      c.id,
      {
        kind: 'changed',
        text: c.params
          .map((p) => `${p.key}: ${JSON.stringify(p.before)} → ${JSON.stringify(p.after)}`)
          .join(', '),
      },
    ]),
  ]);
  byB.set(b, marks);
  return marks;
}

/** The mark of a top-level node of the shown variant, while a diff is marked on the canvas. */
export function useDiffMark(id: string): DiffMark | null {
  const diff = useVariantDiff((s) => (s.onCanvas ? s.pair : null));
  return useDocument((s) => {
    if (!diff || diff.a === diff.b || s.openBlocks.length > 0 || s.variant !== diff.b) return null;
    // Only the shown variant's entry is behind its history; A is not shown.
    const other = s.variants[diff.a]?.history.graph;
    return other ? (diffMarks(other, s.history.graph).get(id) ?? null) : null;
  });
}
