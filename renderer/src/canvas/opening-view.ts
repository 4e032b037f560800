import type { FitViewOptions } from '@xyflow/react';
import type { Graph } from '../../../shared/graph/document.ts';
import { isInputNode } from '../../../shared/layers/registry.ts';
import type { Size } from '../../../shared/layout/node-box.ts';

/** A node's text (12 px) stays at least 11 px on screen. */
const READABLE_ZOOM = 0.92;
/** The part of the canvas the first view shows, from the network's start: what a 1280×720 window holds. */
const START = { width: 840, height: 600 };

/**
 * The first view of a document: where the network starts, readable, rather than all of it at a zoom where
 * nothing can be read. A small graph fits whole. Only nodes wholly in the start's room count, so the
 * start is never pushed out of view by a wide node beside it.
 */
export function openingView(graph: Graph, sizeOf: (id: string) => Size): FitViewOptions {
  const inputs = graph.nodes.filter(isInputNode);
  const anchor = (inputs.length ? inputs : graph.nodes).reduce(
    (a, n) =>
      n.position.y < a.position.y || (n.position.y === a.position.y && n.position.x < a.position.x) ? n : a,
    graph.nodes[0]!,
  );
  const start = graph.nodes.filter(
    (n) =>
      n === anchor ||
      (n.position.x >= anchor.position.x &&
        n.position.x + sizeOf(n.id).width <= anchor.position.x + START.width &&
        n.position.y + sizeOf(n.id).height <= anchor.position.y + START.height),
  );
  return { nodes: start.map((n) => ({ id: n.id })), minZoom: READABLE_ZOOM, maxZoom: 1 };
}
