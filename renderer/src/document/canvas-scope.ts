import {
  editInside,
  openPath,
  previewInside,
  type BlockInside,
} from '../../../shared/editing/block-inside.ts';
import type { GraphCommand } from '../../../shared/graph/commands.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import { inferShapes, type GraphInference } from '../../../shared/shapes/infer-shapes.ts';
import type { Diagnostic } from '../../../shared/shapes/diagnostic.ts';
import { fieldAt, receptiveFields, type ReceptiveField } from '../../../shared/shapes/receptive-field.ts';
import { inferenceOf, useDocument, type DocumentState } from './document-store.ts';

/**
 * What the canvas shows: the document, or the inside of the block opened in it. Panels and shortcuts read
 * the scope, so the same canvas, inspector and problems list serve both.
 */
export interface CanvasScope {
  graph: Graph;
  inference: GraphInference;
  /** The open block, innermost; null at the document level. */
  inside: BlockInside | null;
  /** What each shown node sees of the document's input image (inside a block too): its receptive field. */
  fields: ReadonlyMap<string, ReceptiveField>;
  /** What the fields say of the design (it sees the whole input early, or little at the head): warnings. */
  fieldNotes: readonly Diagnostic[];
  /** Whether edits are allowed: always for the document, for a user block's inside, never for a built-in's. */
  editable: boolean;
  /** The inference after `edited` replaced this scope's graph: what a connection is checked against. */
  preview(edited: Graph): GraphInference;
}

const cache = new WeakMap<Graph, Map<string, CanvasScope>>();

/** What the canvas on screen deletes when asked: its selected nodes and wires (it alone knows the wires). */
let deleteOnCanvas: (() => void) | null = null;

/** The canvas says how it deletes its selection; the returned function takes that back. */
export function provideCanvasDelete(run: () => void): () => void {
  deleteOnCanvas = run;
  return () => void (deleteOnCanvas === run && (deleteOnCanvas = null));
}

/** Deletes the canvas's selection, as Delete and Backspace do (the one key router calls it). */
export const deleteCanvasSelection = (): void => deleteOnCanvas?.();

function deriveScope(doc: Graph, path: readonly string[]): CanvasScope {
  const inference = inferenceOf(doc);
  const opened = openPath(doc, inference, path);
  const { nodes, layers, notes } = receptiveFields(doc, inference);
  // A block that is gone (undone, say) closes: the document is shown instead.
  if (!opened?.ok) {
    const preview = (edited: Graph) => inferShapes(edited, { graph: doc, inference });
    return { graph: doc, inference, inside: null, fields: nodes, fieldNotes: notes, editable: true, preview };
  }
  const inside = opened.value;
  const fields = new Map(
    inside.graph.nodes.flatMap((n) => {
      const field = fieldAt(layers, inference.flat, [...path, n.id].join('/'));
      return field ? [[n.id, field] as const] : [];
    }),
  );
  return {
    graph: inside.graph,
    inference: inside.inference,
    inside,
    fields,
    fieldNotes: [],
    editable: inside.definition !== null,
    preview: (edited) => previewInside(doc, path, inside, edited),
  };
}

/** The scope for a document state; the same object while the graph and open block stay the same. */
export function scopeOf(state: Pick<DocumentState, 'history' | 'openBlocks'>): CanvasScope {
  const doc = state.history.graph;
  const key = state.openBlocks.join('/');
  let byPath = cache.get(doc);
  if (!byPath) cache.set(doc, (byPath = new Map()));
  let scope = byPath.get(key);
  if (!scope) byPath.set(key, (scope = deriveScope(doc, state.openBlocks)));
  return scope;
}

export const useScope = (): CanvasScope => useDocument(scopeOf);

/**
 * Applies an edit to what the canvas shows: to the document, or to the open user block's definition (every
 * instance follows). An edit the block cannot take is explained and not applied; returns whether it was.
 */
export function dispatchInScope(command: GraphCommand, label: string): boolean {
  const state = useDocument.getState();
  const { inside } = scopeOf(state);
  if (!inside) {
    state.dispatch(command, label);
    return true;
  }
  const edit = editInside(state.history.graph, inside, command);
  if (!edit.ok) {
    state.notify({ kind: 'error', text: edit.error });
    return false;
  }
  state.dispatch(edit.value, `${label} in ${inside.title}`);
  return true;
}
