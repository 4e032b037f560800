import { create } from 'zustand';
import type { GraphCommand } from '../../../shared/graph/commands.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import { emptyGraph } from '../../../shared/graph/document.ts';
import { record, redo, startHistory, undo, type History } from '../../../shared/graph/history.ts';
import { inferShapes, type GraphInference } from '../../../shared/shapes/infer-shapes.ts';
import type { ShapeOrder } from '../../../shared/shapes/shape.ts';

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
  history: History;
  /** The graph as last saved or opened: the document is unsaved while they differ. */
  savedGraph: Graph;
  selection: string[];
  /** The block instances opened on the canvas, outermost first: the canvas shows the innermost's inside. */
  openBlocks: string[];
  shapeOrder: ShapeOrder;
  dispatch(command: GraphCommand, label?: string): void;
  undo(): void;
  redo(): void;
  open(graph: Graph, name: string, path?: string | null): void;
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

export const useDocument = create<DocumentState>((set) => ({
  documentId: 0,
  name: 'Untitled',
  path: null,
  notice: null,
  history: startHistory(firstGraph),
  savedGraph: firstGraph,
  selection: [],
  openBlocks: [],
  shapeOrder: 'CHW',
  dispatch: (command, label) => set((s) => ({ history: record(s.history, command, label) })),
  undo: () => set((s) => ({ history: undo(s.history) })),
  redo: () => set((s) => ({ history: redo(s.history) })),
  open: (graph, name, path = null) =>
    set((s) => ({
      documentId: s.documentId + 1,
      name,
      path,
      history: startHistory(graph),
      savedGraph: graph,
      selection: [],
      openBlocks: [],
      notice: null,
    })),
  markSaved: (path, name) => set((s) => ({ path, name, savedGraph: s.history.graph })),
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

/** Whether closing or replacing the document would lose work: its graph is not the one last saved. */
export const hasUnsavedChanges = (s: Pick<DocumentState, 'history' | 'savedGraph'>): boolean =>
  s.history.graph !== s.savedGraph;

export const useGraph = (): Graph => useDocument((s) => s.history.graph);

/** Shapes are inferred once per graph value: every edit makes a new graph, everything else reuses it. */
const inferred = new WeakMap<Graph, GraphInference>();

export function inferenceOf(graph: Graph): GraphInference {
  let inf = inferred.get(graph);
  if (!inf) inferred.set(graph, (inf = inferShapes(graph)));
  return inf;
}

export const useInference = (): GraphInference => inferenceOf(useGraph());
