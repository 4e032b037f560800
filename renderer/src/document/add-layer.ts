import { defaultParams, nodeTitle } from '../../../shared/blocks/node-ports.ts';
import { freshId } from '../../../shared/graph/commands.ts';
import { insertAfter, insertOnWire, type Insertion } from '../../../shared/editing/insert-layer.ts';
import type { GraphNode, Position } from '../../../shared/graph/document.ts';
import { dispatchInScope, scopeOf, type CanvasScope } from './canvas-scope.ts';
import { useDocument } from './document-store.ts';

/** The drag data type a palette entry carries to the canvas: the layer or block type. */
export const PALETTE_MIME = 'application/blockwise-node';

const ROW = 130;

/** Where a palette layer goes: dropped at a point (on a wire or not), or clicked (after the selected layer). */
export type Placing = { kind: 'click' } | { kind: 'drop'; at: Position; wire: string | null };

function insertion(
  scope: CanvasScope,
  node: GraphNode,
  placing: Placing,
  selected: string | null,
): Insertion {
  const { graph } = scope;
  const lowest = { x: 0, y: Math.max(0, ...graph.nodes.map((n) => n.position.y + ROW)) };
  const fallback = placing.kind === 'drop' ? placing.at : lowest;
  if (placing.kind === 'drop' && placing.wire)
    return insertOnWire(graph, scope, placing.wire, node, fallback);
  if (placing.kind === 'click' && selected) return insertAfter(graph, scope, selected, node, fallback);
  return {
    command: { kind: 'addNodes', nodes: [{ ...node, position: fallback }], edges: [] },
    unwired: null,
  };
}

/**
 * Adds a layer or block from the palette to what the canvas shows, as one undoable step, and selects it.
 * Dropped on a wire, it goes into the wire; dropped elsewhere, where it was dropped. Clicked (or Enter), it
 * goes after the one selected layer, taking over what that layer fed: the way to build or grow a chain by
 * keys. What follows moves on to make room. Where it cannot be wired (ports, shapes) it is added unwired and
 * a notice says why.
 */
export function addFromPalette(type: string, placing: Placing = { kind: 'click' }): boolean {
  const state = useDocument.getState();
  const scope = scopeOf(state);
  if (!scope.editable) {
    state.notify({ kind: 'error', text: 'A built-in block is read-only: close it (Escape) to add layers.' });
    return false;
  }
  const { graph } = scope;
  const id = freshId(new Set(graph.nodes.map((n) => n.id)), stemOf(type));
  const node = { id, type, params: defaultParams(type, graph.blocks), position: { x: 0, y: 0 } };
  const selected = state.selection.length === 1 ? state.selection[0]! : null;
  const { command, unwired } = insertion(scope, node, placing, selected);
  const wired = command.kind !== 'addNodes' || command.edges.length > 0;
  const added = dispatchInScope(command, wired ? 'Insert layer' : 'Add layer');
  if (!added) return false;
  state.select([id]);
  const title = nodeTitle(node, graph.blocks);
  if (unwired) state.notify({ kind: 'error', text: `${title} was added unwired: ${unwired}` });
  return true;
}

const stemOf = (type: string) =>
  type
    .replace(/^block:/, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
