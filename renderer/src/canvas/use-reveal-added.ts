import { useReactFlow } from '@xyflow/react';
import { useEffect, useRef, type RefObject } from 'react';
import type { Graph } from '../../../shared/graph/document.ts';
import type { Size } from '../../../shared/layout/node-box.ts';

/**
 * Brings a layer just added into view: a layer added past the edge of the canvas (after the last layer of a
 * long row, say) is panned to at the same zoom, instead of dangling out of sight.
 */
export function useRevealAdded(
  graph: Graph,
  selection: readonly string[],
  sizeOf: (id: string) => Size | undefined,
  pane: RefObject<HTMLElement | null>,
): void {
  const { getViewport, setCenter } = useReactFlow();
  const known = useRef(new Set(graph.nodes.map((n) => n.id)));
  useEffect(() => {
    const before = known.current;
    known.current = new Set(graph.nodes.map((n) => n.id));
    const added = selection.length === 1 && !before.has(selection[0]!) ? selection[0]! : null;
    const node = added ? graph.nodes.find((n) => n.id === added) : undefined;
    const size = node && sizeOf(node.id);
    const frame = pane.current?.getBoundingClientRect();
    if (!node || !size || !frame) return;
    const { x, y, zoom } = getViewport();
    const [left, top] = [node.position.x * zoom + x, node.position.y * zoom + y];
    const inView =
      left >= 0 &&
      top >= 0 &&
      left + size.width * zoom <= frame.width &&
      top + size.height * zoom <= frame.height;
    if (!inView)
      void setCenter(node.position.x + size.width / 2, node.position.y + size.height / 2, {
        zoom,
        duration: 200,
      });
  }, [graph, selection, sizeOf, pane, getViewport, setCenter]);
}
