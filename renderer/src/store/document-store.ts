import { create } from 'zustand';
import type { GraphCommand } from '../../../shared/graph/commands.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import { emptyGraph } from '../../../shared/graph/document.ts';
import type { Variant } from '../../../shared/graph/file-format.ts';
import { record, redo, startHistory, undo, type History } from '../../../shared/graph/history.ts';
import { inferShapes, type GraphInference } from '../../../shared/shapes/infer-shapes.ts';
import type { ShapeOrder } from '../../../shared/shape.ts';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export interface DocumentState {
  /** Counts the documents opened: the canvas starts afresh (and fits the view) for each. */
  documentId: number;
  name: string;
  /** Where the document was last saved; null for a new one. */
  path: string | null;
  notice: Notice | null;
  /** The shown variant's history: every edit of the canvas goes here. */
  history: History;
  /**
   * The document's variants in tab order, each with its own history; the entry at `variant` is the one shown,
   * whose history is `history` (its entry here is brought up to date when another is shown).
   */
  variants: { name: string; history: History }[];
  variant: number;
  /** The variants as last saved or opened: the document is unsaved while they differ. */
  saved: readonly Variant[];
  selection: string[];
  /** The block instances opened on the canvas, outermost first: the canvas shows the innermost's inside. */
  openBlocks: string[];
  shapeOrder: ShapeOrder;
  dispatch(command: GraphCommand, label?: string): void;
  undo(): void;
  redo(): void;
  open(graph: Graph, name: string, path?: string | null): void;
  /** Opens a document of several variants, `shown` on the canvas. */
  openVariants(variants: readonly Variant[], shown: number, name: string, path?: string | null): void;
  /** Adds variants after the others; `show`, the first of them goes on the canvas. */
  addVariants(variants: readonly Variant[], show: boolean): void;
  showVariant(index: number): void;
  renameVariant(index: number, name: string): void;
  removeVariant(index: number): void;
  markSaved(path: string, name: string): void;
  notify(notice: Notice | null): void;
  select(ids: string[]): void;
  openBlock(instanceId: string): void;
  /** Shows the block opened at `depth` (0: the document). */
  showDepth(depth: number): void;
  setShapeOrder(order: ShapeOrder): void;
}

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i]);

// One graph for both: a new document has nothing unsaved (two equal empty graphs would say it has).
const firstGraph = emptyGraph();

/** The shown variant's entry brought up to date with the canvas. */
const settled = (s: Pick<DocumentState, 'variants' | 'variant' | 'history'>) =>
  s.variants.map((v, i) => (i === s.variant ? { ...v, history: s.history } : v));

/** A fresh canvas for a variant: nothing selected, no block open. */
const freshCanvas = { selection: [], openBlocks: [] };

export const useDocument = create<DocumentState>((set) => ({
  documentId: 0,
  name: 'Untitled',
  path: null,
  notice: null,
  history: startHistory(firstGraph),
  variants: [{ name: 'Untitled', history: startHistory(firstGraph) }],
  variant: 0,
  saved: [{ name: 'Untitled', graph: firstGraph }],
  selection: [],
  openBlocks: [],
  shapeOrder: 'CHW',
  dispatch: (command, label) => set((s) => ({ history: record(s.history, command, label) })),
  undo: () => set((s) => ({ history: undo(s.history) })),
  redo: () => set((s) => ({ history: redo(s.history) })),
  open: (graph, name, path = null) => useDocument.getState().openVariants([{ name, graph }], 0, name, path),
  openVariants: (variants, shown, name, path = null) =>
    set((s) => {
      const histories = variants.map((v) => ({ name: v.name, history: startHistory(v.graph) }));
      return {
        documentId: s.documentId + 1,
        name,
        path,
        history: histories[shown]!.history,
        variants: histories,
        variant: shown,
        saved: variants,
        notice: null,
        ...freshCanvas,
      };
    }),
  addVariants: (added, show) =>
    set((s) => {
      const variants = [
        ...settled(s),
        ...added.map((v) => ({ name: v.name, history: startHistory(v.graph) })),
      ];
      if (!show) return { variants };
      const variant = s.variants.length;
      return {
        variants,
        variant,
        history: variants[variant]!.history,
        documentId: s.documentId + 1,
        ...freshCanvas,
      };
    }),
  showVariant: (index) =>
    set((s) => {
      if (index === s.variant || !s.variants[index]) return s;
      const variants = settled(s);
      // A new canvas (documentId) for the variant: the view fits it, as when a document opens.
      return {
        variants,
        variant: index,
        history: variants[index]!.history,
        documentId: s.documentId + 1,
        ...freshCanvas,
      };
    }),
  renameVariant: (index, name) =>
    set((s) => ({ variants: s.variants.map((v, i) => (i === index ? { ...v, name } : v)) })),
  removeVariant: (index) =>
    set((s) => {
      if (s.variants.length < 2 || !s.variants[index]) return s;
      const variants = settled(s).filter((_, i) => i !== index);
      const variant = index < s.variant ? s.variant - 1 : Math.min(s.variant, variants.length - 1);
      const moved = index === s.variant;
      return {
        variants,
        variant,
        history: variants[variant]!.history,
        ...(moved ? { documentId: s.documentId + 1, ...freshCanvas } : {}),
      };
    }),
  markSaved: (path, name) => set((s) => ({ path, name, saved: currentVariants(s) })),
  notify: (notice) => set({ notice }),
  // React Flow reports the selection after every node update; an equal one is not stored again, so nothing
  // re-renders for it.
  select: (selection) => set((s) => (sameIds(s.selection, selection) ? s : { selection })),
  openBlock: (id) => set((s) => ({ openBlocks: [...s.openBlocks, id], selection: [] })),
  showDepth: (depth) =>
    set((s) =>
      depth >= s.openBlocks.length ? s : { openBlocks: s.openBlocks.slice(0, depth), selection: [] },
    ),
  setShapeOrder: (shapeOrder) => set({ shapeOrder }),
}));

type VariantsView = Pick<DocumentState, 'variants' | 'variant' | 'history'>;

/** Every variant as it stands (the shown one's graph is the canvas's). */
export const currentVariants = (s: VariantsView): Variant[] =>
  s.variants.map((v, i) => ({ name: v.name, graph: i === s.variant ? s.history.graph : v.history.graph }));

/** Whether closing or replacing the document would lose work: a variant is not as last saved. */
export function hasUnsavedChanges(s: VariantsView & Pick<DocumentState, 'saved'>): boolean {
  const now = currentVariants(s);
  return (
    now.length !== s.saved.length ||
    now.some((v, i) => v.graph !== s.saved[i]!.graph || v.name !== s.saved[i]!.name)
  );
}

/** A name no variant has yet: "VGG-mini 2", "VGG-mini 3"… */
export function freeVariantName(s: Pick<DocumentState, 'variants'>, base: string): string {
  const taken = new Set(s.variants.map((v) => v.name));
  const stem = base.replace(/ \d+$/, '');
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${stem} ${n}`)) return `${stem} ${n}`;
}

export const useGraph = (): Graph => useDocument((s) => s.history.graph);

/** Shapes are inferred once per graph value: every edit makes a new graph, everything else reuses it. */
const inferred = new WeakMap<Graph, GraphInference>();

export function inferenceOf(graph: Graph): GraphInference {
  let inf = inferred.get(graph);
  if (!inf) inferred.set(graph, (inf = inferShapes(graph)));
  return inf;
}

export const useInference = (): GraphInference => inferenceOf(useGraph());
