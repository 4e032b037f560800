import type { GraphCommand } from '../graph/commands.ts';
import type { Graph } from '../graph/document.ts';
import type { Variant } from '../graph/file-format.ts';
import { record, redo, startHistory, undo, type History } from '../graph/history.ts';
import type { TrainConfigInput } from '../train/train-config.ts';
import {
  applyDocumentCommand,
  type DocumentCommand,
  type DocumentParts,
  type DocumentVariant,
} from './document-commands.ts';

/** One undoable step of the document itself (a variant added, renamed or removed; a recipe edit). */
export interface DocumentStep {
  label: string;
  /** On the document's clock, shared with its variants' graph edits: Undo takes the latest of either. */
  at: number;
  undo: DocumentCommand;
  redo: DocumentCommand;
}

/** What the document was when last saved or opened: it is unsaved while it differs. */
export interface SavedMarker {
  variants: readonly { id: string; name: string; graph: Graph }[];
  recipe: TrainConfigInput;
}

/**
 * The open document, whole: its name and place, its variants with their histories, the one shown, the
 * recipe it trains with, its own undo steps, and what was last saved. Pure values and functions, so the
 * renderer's store is a thin binding and every rule here is tested in Node.
 */
export interface DesignDocument extends DocumentParts {
  readonly name: string;
  /** Where it was last saved; null for one never saved. */
  readonly path: string | null;
  /** Names its runs while it has no path (the host keeps them apart for it); its first save moves them. */
  readonly draft: string;
  readonly past: readonly DocumentStep[];
  readonly future: readonly DocumentStep[];
  /** Counts the edits made, graph and document alike: orders them for Undo. */
  readonly clock: number;
  /** Null: nothing of it was ever saved as it stands (recovered work), so it is unsaved. */
  readonly saved: SavedMarker | null;
  /** The clock when the last step was closed to folding (a field left): the next edit is a step of its own. */
  readonly sealedAt: number;
}

/** Whether an operation enters the undo history as a step of its own or folds into the last one of its kind. */
export type Capture = 'record' | 'merge';

const LIMIT = 500;

const savedMarker = (parts: DocumentParts): SavedMarker => ({
  variants: parts.variants.map((v) => ({ id: v.id, name: v.name, graph: v.history.graph })),
  recipe: parts.recipe,
});

/**
 * A document as opened (or made): `restored` when it is recovered work, which stays unsaved until saved,
 * so New or Open ask before they replace it.
 */
export function openDocument(opened: {
  variants: readonly Variant[];
  shown: number;
  name: string;
  path: string | null;
  draft: string;
  recipe: TrainConfigInput;
  restored?: boolean;
}): DesignDocument {
  const variants = withIds(opened.variants).map((v) => ({
    id: v.id,
    name: v.name,
    history: startHistory(v.graph),
  }));
  const parts = { variants, shown: Math.min(opened.shown, variants.length - 1), recipe: opened.recipe };
  return {
    ...parts,
    name: opened.name,
    path: opened.path,
    draft: opened.draft,
    past: [],
    future: [],
    clock: 0,
    sealedAt: 0,
    saved: opened.restored ? null : savedMarker(parts),
  };
}

/** A file written before variants had ids gives them "v1", "v2"… by place (never one another variant has). */
function withIds(variants: readonly Variant[]): (Variant & { id: string })[] {
  const taken = new Set(variants.flatMap((v) => (v.id === undefined ? [] : [v.id])));
  let next = 1;
  const fresh = () => {
    while (taken.has(`v${next}`)) next++;
    taken.add(`v${next}`);
    return `v${next}`;
  };
  return variants.map((v) => ({ ...v, id: v.id ?? fresh() }));
}

export const shownVariant = (doc: DesignDocument): DocumentVariant => doc.variants[doc.shown]!;

/** Every variant's name, graph and id as it stands, in tab order. */
export const variantsOf = (doc: DesignDocument): (Variant & { id: string })[] =>
  doc.variants.map((v) => ({ name: v.name, graph: v.history.graph, id: v.id }));

/** A graph's JSON, made once per graph value: edits make new values, undo and redo too. */
const texts = new WeakMap<Graph, string>();
const textOf = (graph: Graph) => {
  let text = texts.get(graph);
  if (text === undefined) texts.set(graph, (text = JSON.stringify(graph)));
  return text;
};

/** The same design: the very value, or one equal to it (undoing every edit rebuilds the graph as it was). */
const sameGraph = (a: Graph, b: Graph) => a === b || textOf(a) === textOf(b);

/** Whether replacing or closing the document would lose work: any variant, its names or its recipe. */
export function isUnsaved(doc: DesignDocument): boolean {
  const { saved } = doc;
  if (!saved) return true;
  return (
    saved.recipe !== doc.recipe ||
    saved.variants.length !== doc.variants.length ||
    doc.variants.some((v, i) => {
      const was = saved.variants[i]!;
      return v.id !== was.id || v.name !== was.name || !sameGraph(v.history.graph, was.graph);
    })
  );
}

export const markSaved = (doc: DesignDocument, path: string, name: string): DesignDocument => ({
  ...doc,
  path,
  name,
  saved: savedMarker(doc),
});

/** The shown variant's history replaced; the rest as it is. */
const withShownHistory = (doc: DesignDocument, history: History): DesignDocument => ({
  ...doc,
  variants: doc.variants.map((v, i) => (i === doc.shown ? { ...v, history } : v)),
});

/** An edit of the shown variant's graph: undoable, and a new edit ends what could be redone. */
export function editGraph(doc: DesignDocument, command: GraphCommand, label?: string): DesignDocument {
  const at = doc.clock + 1;
  const history = record(shownVariant(doc).history, command, label, at);
  return { ...withShownHistory(doc, history), clock: at, future: [] };
}

/** A document command applied; `capture` says how it enters the history. */
export function change(
  doc: DesignDocument,
  command: DocumentCommand,
  label: string,
  capture: Capture = 'record',
): DesignDocument {
  const { parts, inverse } = applyDocumentCommand(doc, command);
  const last = doc.past[doc.past.length - 1];
  // Typing into one field makes one step, not one per key: it folds into the field's step while nothing
  // else happened since.
  const fold =
    capture === 'merge' && last?.label === label && last.at === doc.clock && doc.sealedAt < doc.clock;
  const at = fold ? doc.clock : doc.clock + 1;
  const step = { label, at, undo: fold ? last.undo : inverse, redo: command };
  const past = [...(fold ? doc.past.slice(0, -1) : doc.past), step].slice(-LIMIT);
  const shown = shownVariant({ ...doc, ...parts });
  // A new step ends what could be redone, on the canvas too.
  const variants = parts.variants.map((v) =>
    v === shown ? { ...v, history: { ...v.history, future: [] } } : v,
  );
  return { ...doc, ...parts, variants, past, future: [], clock: at };
}

/** Which history holds the step to undo (or redo) next: the shown graph's, or the document's own. */
function nextStep(doc: DesignDocument, side: 'past' | 'future'): 'graph' | 'document' | null {
  const graphSteps = shownVariant(doc).history[side];
  const graph = graphSteps[graphSteps.length - 1];
  const own = doc[side][doc[side].length - 1];
  if (!graph || !own) return graph ? 'graph' : own ? 'document' : null;
  // Undo takes the latest made; Redo the latest undone, which is the earliest made.
  const graphFirst = side === 'past' ? graph.at > own.at : graph.at < own.at;
  return graphFirst ? 'graph' : 'document';
}

/** The label of what Undo (or Redo) would do next, or null when there is nothing. */
export function nextLabel(doc: DesignDocument, side: 'past' | 'future'): string | null {
  const which = nextStep(doc, side);
  if (!which) return null;
  const steps = which === 'graph' ? shownVariant(doc).history[side] : doc[side];
  return steps[steps.length - 1]!.label;
}

export function undoDocument(doc: DesignDocument): DesignDocument {
  const which = nextStep(doc, 'past');
  if (which === 'graph') return withShownHistory(doc, undo(shownVariant(doc).history));
  if (!which) return doc;
  const step = doc.past[doc.past.length - 1]!;
  const { parts, inverse } = applyDocumentCommand(doc, step.undo);
  return {
    ...doc,
    ...parts,
    past: doc.past.slice(0, -1),
    future: [...doc.future, { ...step, redo: inverse }],
  };
}

export function redoDocument(doc: DesignDocument): DesignDocument {
  const which = nextStep(doc, 'future');
  if (which === 'graph') return withShownHistory(doc, redo(shownVariant(doc).history));
  if (!which) return doc;
  const step = doc.future[doc.future.length - 1]!;
  const { parts, inverse } = applyDocumentCommand(doc, step.redo);
  return {
    ...doc,
    ...parts,
    future: doc.future.slice(0, -1),
    past: [...doc.past, { ...step, undo: inverse }],
  };
}

/** Ends the folding of the last step: a field was left, so typing into it again is an edit of its own. */
export const sealStep = (doc: DesignDocument): DesignDocument =>
  doc.sealedAt === doc.clock ? doc : { ...doc, sealedAt: doc.clock };

/** Shows another variant: a view change, not an edit, so it enters no history. */
export const showVariant = (doc: DesignDocument, index: number): DesignDocument =>
  doc.variants[index] ? { ...doc, shown: index } : doc;

/**
 * Variants added after the others (a copy, a sweep): one undoable step; `show` puts the first on the canvas.
 * Each comes with an id no variant of any document had (the caller makes them: random, so never reused).
 */
export function addVariants(
  doc: DesignDocument,
  added: readonly (Variant & { id: string })[],
  show: boolean,
): DesignDocument {
  if (added.length === 0) return doc;
  const variants = added.map((v) => ({ id: v.id, name: v.name, history: startHistory(v.graph) }));
  const label = added.length === 1 ? `Add variant ${added[0]!.name}` : `Add ${added.length} variants`;
  const command: DocumentCommand = {
    kind: 'insertVariants',
    index: doc.variants.length,
    variants,
    show: show ? variants[0]!.id : null,
  };
  return change(doc, command, label);
}

export const renameVariant = (doc: DesignDocument, index: number, name: string): DesignDocument => {
  const variant = doc.variants[index];
  if (!variant || variant.name === name) return doc;
  return change(doc, { kind: 'renameVariant', id: variant.id, name }, `Rename ${variant.name}`);
};

/** Removes a variant with its history (Undo brings both back); the last one stays. */
export const removeVariant = (doc: DesignDocument, index: number): DesignDocument => {
  const variant = doc.variants[index];
  if (!variant || doc.variants.length < 2) return doc;
  const command: DocumentCommand = { kind: 'removeVariants', index, count: 1, show: null };
  return change(doc, command, `Remove ${variant.name}`);
};

/**
 * A new recipe for the document, under the label of what changed ("Learning rate"): typing into one field
 * folds into one step (`merge`); a choice made at once (a list, a box) is a step (`record`). A recipe
 * equal to the current one changes nothing.
 */
export function editRecipe(
  doc: DesignDocument,
  recipe: TrainConfigInput,
  label: string,
  capture: Capture = 'merge',
): DesignDocument {
  if (JSON.stringify(recipe) === JSON.stringify(doc.recipe)) return doc;
  return change(doc, { kind: 'setRecipe', recipe }, label, capture);
}
