import type { FitViewOptions } from '@xyflow/react';
import type { Graph } from '../../../shared/graph/document.ts';
import { isInputNode } from '../../../shared/layers/registry.ts';

/** A node's text (12 px) stays at least 11 px on screen. */
const READABLE_ZOOM = 0.92;
/** The part of the canvas the first view shows: about one column of a wrapped layout. */
const START = { width: 700, height: 760 };

/**
 * The first view of a document: where the network starts, readable, rather than all of it at a zoom where
 * nothing can be read. A small graph fits whole.
 */
export function openingView(graph: Graph): FitViewOptions {
  const inputs = graph.nodes.filter(isInputNode);
  const anchor = (inputs.length ? inputs : graph.nodes).reduce(
    (a, n) =>
      n.position.y < a.position.y || (n.position.y === a.position.y && n.position.x < a.position.x) ? n : a,
    graph.nodes[0]!,
  );
  const start = graph.nodes.filter(
    (n) =>
      n.position.x >= anchor.position.x - START.width / 2 &&
      n.position.x <= anchor.position.x + START.width / 2 &&
      n.position.y <= anchor.position.y + START.height,
  );
  return { nodes: start.map((n) => ({ id: n.id })), minZoom: READABLE_ZOOM, maxZoom: 1 };
}
