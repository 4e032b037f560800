import type { Viewport } from '@xyflow/react';
import type { Graph } from '../../../shared/graph/document.ts';
import { isInputNode } from '../../../shared/layers/registry.ts';
import type { Size } from '../../../shared/layout/node-box.ts';

/** A node's text (12 px) stays at least 11 px on screen. */
export const READABLE_ZOOM = 0.92;
/** Room left between the network and the canvas's edges. */
const MARGIN = 32;

/**
 * The first view of a document. A network that fits the canvas at a readable zoom is shown whole, centred.
 * A larger one is shown from its start, readable: its left edge and the row of its Input at the canvas's
 * top left (a snake's first row starts there), the rest reached by scrolling; never centred on a few nodes
 * with empty canvas around them and the row's end under the inspector.
 */
export function openingViewport(graph: Graph, sizeOf: (id: string) => Size, pane: Size): Viewport {
  const boxes = graph.nodes.map((n) => ({ ...n.position, ...sizeOf(n.id) }));
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  const whole = Math.min(
    (pane.width - 2 * MARGIN) / (right - left),
    (pane.height - 2 * MARGIN) / (bottom - top),
    1,
  );
  if (whole >= READABLE_ZOOM)
    return {
      zoom: whole,
      x: (pane.width - whole * (right + left)) / 2,
      y: (pane.height - whole * (bottom + top)) / 2,
    };
  const inputs = graph.nodes.filter(isInputNode);
  const start = Math.min(...(inputs.length ? inputs : graph.nodes).map((n) => n.position.y));
  return { zoom: READABLE_ZOOM, x: MARGIN - READABLE_ZOOM * left, y: MARGIN - READABLE_ZOOM * start };
}
