import { create } from 'zustand';
import type { GraphCommand } from '../../../shared/graph/commands.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import { emptyGraph } from '../../../shared/graph/document.ts';
import type { Variant } from '../../../shared/graph/file-format.ts';
import type { History } from '../../../shared/graph/history.ts';
import {
  addVariants,
  editGraph,
  editRecipe,
  isUnsaved,
  markSaved,
  openDocument,
  redoDocument,
  removeVariant,
  renameVariant,
  sealStep,
  showVariant,
  shownVariant,
  undoDocument,
  variantsOf,
  type Capture,
  type DesignDocument,
} from '../../../shared/document/design-document.ts';
import type { DocumentVariant } from '../../../shared/document/document-commands.ts';
import { documentRecipe } from '../../../shared/templates/template.ts';
import type { TrainConfigInput } from '../../../shared/train/train-config.ts';
import {
  inferShapes,
  type EarlierInference,
  type GraphInference,
} from '../../../shared/shapes/infer-shapes.ts';
import type { ShapeOrder } from '../../../shared/shape.ts';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export interface DocumentState {
  /** The document, whole (shared/document): everything below it is a view of it or the canvas's own state. */
  doc: DesignDocument;
  /** Counts the documents opened: what belongs to the last one (its runs, a run shown) is let go. */
  documentId: number;
  /** Counts the canvases shown: a new one (another document or variant) starts afresh and fits the view. */
  canvasId: number;
  name: string;
  /** Where the document was last saved; null for a new one. */
  path: string | null;
  notice: Notice | null;
  /** The shown variant's history: every edit of the canvas goes here. */
  history: History;
  /** The document's variants in tab order, each with its own history; the one at `variant` is shown. */
  variants: readonly DocumentVariant[];
  variant: number;
  selection: string[];
  /** The block instances opened on the canvas, outermost first: the canvas shows the innermost's inside. */
  openBlocks: string[];
  shapeOrder: ShapeOrder;
  dispatch(command: GraphCommand, label?: string): void;
  undo(): void;
  redo(): void;
  /** Opens a document of one design (a template, an import, New) with the recipe it trains with. */
  open(graph: Graph, name: string, recipe: TrainConfigInput): void;
  /** Opens a document of several variants; `restored` (recovered work) stays unsaved until saved. */
  openVariants(opened: Opened): void;
  /** Adds variants after the others, each with a new id; `show`, the first of them goes on the canvas. */
  addVariants(variants: readonly Variant[], show: boolean): void;
  showVariant(index: number): void;
  renameVariant(index: number, name: string): void;
  removeVariant(index: number): void;
  /** A recipe edit, undoable, under the label of the field it came from (typing folds into one step). */
  editRecipe(recipe: TrainConfigInput, label: string, capture?: Capture): void;
  /** A field was left: the next edit is a step of its own. */
  sealStep(): void;
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

/** A fresh canvas for a variant: nothing selected, no block open. */
const freshCanvas = { selection: [], openBlocks: [] };

/** A document to open: a draft key only for recovered work, which keeps its runs; others get a new one. */
type Opened = Omit<Parameters<typeof openDocument>[0], 'draft'> & { draft?: string };
type View = Pick<DocumentState, 'doc' | 'name' | 'path' | 'history' | 'variants' | 'variant'>;
type CanvasReset = Partial<Pick<DocumentState, 'canvasId' | 'selection' | 'openBlocks'>>;

/** The store's view of a new document value; another variant shown gets a fresh canvas. */
function bound(s: Pick<DocumentState, 'doc' | 'canvasId'>, doc: DesignDocument): View & CanvasReset {
  const view = {
    doc,
    name: doc.name,
    path: doc.path,
    history: shownVariant(doc).history,
    variants: doc.variants,
    variant: doc.shown,
  };
  const moved = shownVariant(doc).id !== shownVariant(s.doc).id;
  return moved ? { ...view, canvasId: s.canvasId + 1, ...freshCanvas } : view;
}

/**
 * An id nothing had: random, so a removed variant's runs never pass to a new one, and two unsaved
 * documents of one name never share their runs (`v-` for a variant, `d-` for a draft).
 */
function freshId(kind: 'v' | 'd'): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `${kind}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const firstDocument = openDocument({
  variants: [{ name: 'Untitled', graph: emptyGraph() }],
  shown: 0,
  name: 'Untitled',
  path: null,
  draft: freshId('d'),
  recipe: documentRecipe(undefined),
});

export const useDocument = create<DocumentState>((set) => {
  /** Every change of the document goes through here: the model's function, then the store's view of it. */
  const update = (step: (doc: DesignDocument) => DesignDocument) =>
    set((s) => {
      const doc = step(s.doc);
      return doc === s.doc ? s : bound(s, doc);
    });
  return {
    ...bound({ doc: firstDocument, canvasId: 0 }, firstDocument),
    doc: firstDocument,
    documentId: 0,
    canvasId: 0,
    notice: null,
    selection: [],
    openBlocks: [],
    shapeOrder: 'CHW',
    dispatch: (command, label) => update((doc) => editGraph(doc, command, label)),
    undo: () => update(undoDocument),
    redo: () => update(redoDocument),
    open: (graph, name, recipe) =>
      useDocument
        .getState()
        .openVariants({ variants: [{ name, graph }], shown: 0, name, path: null, recipe }),
    openVariants: (opened) =>
      set((s) => {
        const doc = openDocument({ ...opened, draft: opened.draft ?? freshId('d') });
        return {
          ...bound(s, doc),
          documentId: s.documentId + 1,
          canvasId: s.canvasId + 1,
          notice: null,
          ...freshCanvas,
        };
      }),
    addVariants: (added, show) =>
      update((doc) =>
        addVariants(
          doc,
          added.map((v) => ({ ...v, id: freshId('v') })),
          show,
        ),
      ),
    showVariant: (index) => update((doc) => showVariant(doc, index)),
    renameVariant: (index, name) => update((doc) => renameVariant(doc, index, name)),
    removeVariant: (index) => update((doc) => removeVariant(doc, index)),
    editRecipe: (recipe, label, capture) => update((doc) => editRecipe(doc, recipe, label, capture)),
    sealStep: () => update(sealStep),
    markSaved: (path, name) => update((doc) => markSaved(doc, path, name)),
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
  };
});

/** Every variant as it stands. */
export const currentVariants = (s: Pick<DocumentState, 'doc'>) => variantsOf(s.doc);

/** Whether closing or replacing the document would lose work: a variant, a name or the recipe. */
export const hasUnsavedChanges = (s: Pick<DocumentState, 'doc'>): boolean => isUnsaved(s.doc);

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

/** The graph inferred last: the next one, mostly an edit of it, reuses what that edit did not reach. */
let latest: EarlierInference | undefined;

export function inferenceOf(graph: Graph): GraphInference {
  let inf = inferred.get(graph);
  if (!inf) {
    inferred.set(graph, (inf = inferShapes(graph, latest)));
    latest = { graph, inference: inf };
  }
  return inf;
}

export const useInference = (): GraphInference => inferenceOf(useGraph());
