import { defaultParams, nodePorts } from '../../../shared/blocks/node-ports.ts';
import { freshId } from '../../../shared/graph/commands.ts';
import { connectionEdge, connectionProblem } from '../../../shared/editing/connection-check.ts';
import type { GraphEdge, Position } from '../../../shared/graph/document.ts';
import { dispatchInScope, scopeOf } from './canvas-scope.ts';
import { useDocument } from './document-store.ts';

/** The drag data type a palette entry carries to the canvas: the layer or block type. */
export const PALETTE_MIME = 'application/blockwise-node';

const ROW = 130;

/**
 * Adds a layer or block from the palette to what the canvas shows, as one undoable step, and selects it.
 * Dropped, it goes where it was dropped. Clicked (or Enter), it goes below the one selected layer and is
 * wired from it when that connection is sound, else below everything: the way to build a chain by keys.
 */
export function addFromPalette(type: string, dropAt?: Position): boolean {
  const state = useDocument.getState();
  const { graph, inference, preview, editable } = scopeOf(state);
  if (!editable) {
    state.notify({ kind: 'error', text: 'A built-in block is read-only: close it (Escape) to add layers.' });
    return false;
  }
  const id = freshId(new Set(graph.nodes.map((n) => n.id)), stemOf(type));
  const from =
    state.selection.length === 1 ? graph.nodes.find((n) => n.id === state.selection[0]) : undefined;
  const lowest = Math.max(0, ...graph.nodes.map((n) => n.position.y + ROW));
  const position = dropAt ?? (from ? { x: from.position.x, y: from.position.y + ROW } : { x: 0, y: lowest });
  const node = { id, type, params: defaultParams(type, graph.blocks), position };
  const edges: GraphEdge[] = [];
  if (!dropAt && from) {
    const withNode = { ...graph, nodes: [...graph.nodes, node] };
    const c = {
      source: from.id,
      sourceHandle: nodePorts(from, graph.blocks).outputs[0] ?? 'out',
      target: id,
      targetHandle: nodePorts(node, graph.blocks).inputs[0] ?? 'in',
    };
    if (nodePorts(node, graph.blocks).inputs.length && !connectionProblem(withNode, c, inference, preview))
      edges.push(connectionEdge(withNode, c));
  }
  const added = dispatchInScope({ kind: 'addNodes', nodes: [node], edges }, 'Add layer');
  if (added) state.select([id]);
  return added;
}

const stemOf = (type: string) =>
  type
    .replace(/^block:/, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
