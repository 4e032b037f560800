import { applyCommand, type GraphCommand } from './commands.ts';
import type { Graph } from './document.ts';

/** One undoable step: the command that undoes it and the one that does it again. */
export interface HistoryEntry {
  label: string;
  /**
   * When it was made, on the clock of the document that holds this history: a document orders its
   * variants' edits among its own steps (a renamed variant, a recipe edit) by it, so one Undo takes the latest.
   */
  at: number;
  undo: GraphCommand;
  redo: GraphCommand;
}

export interface History {
  graph: Graph;
  past: HistoryEntry[];
  future: HistoryEntry[];
}

const LIMIT = 500;

export const startHistory = (graph: Graph): History => ({ graph, past: [], future: [] });

/** Applies an edit; it can be undone, and it clears what could be redone. */
export function record(h: History, command: GraphCommand, label: string = command.kind, at = 0): History {
  const { graph, inverse } = applyCommand(h.graph, command);
  return { graph, past: [...h.past, { label, at, undo: inverse, redo: command }].slice(-LIMIT), future: [] };
}

export function undo(h: History): History {
  const entry = h.past[h.past.length - 1];
  if (!entry) return h;
  const { graph, inverse } = applyCommand(h.graph, entry.undo);
  return {
    graph,
    past: h.past.slice(0, -1),
    future: [...h.future, { ...entry, redo: inverse }],
  };
}

export function redo(h: History): History {
  const entry = h.future[h.future.length - 1];
  if (!entry) return h;
  const { graph, inverse } = applyCommand(h.graph, entry.redo);
  return {
    graph,
    past: [...h.past, { ...entry, undo: inverse }],
    future: h.future.slice(0, -1),
  };
}
