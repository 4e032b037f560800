import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../../shared/graph/commands.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import { nodeBoxes } from '../../../shared/layout/node-box.ts';
import { tidyLayout } from '../../../shared/layout/tidy-layout.ts';
import { inferShapes } from '../../../shared/shapes/infer-shapes.ts';
import { findTemplate } from '../../../shared/templates/catalogue.ts';
import { openingViewport, READABLE_ZOOM } from './opening-view.ts';

function laidOut(id: string): { graph: Graph; sizeOf: (id: string) => { width: number; height: number } } {
  const built = findTemplate(id)!.build();
  const graph = applyCommand(built, tidyLayout(built)).graph;
  const boxes = nodeBoxes(graph, inferShapes(graph));
  return { graph, sizeOf: (n) => boxes.get(n)! };
}

/** Where a flow position lands in the pane. */
const onScreen = (v: { x: number; y: number; zoom: number }, p: { x: number; y: number }) => ({
  x: v.x + v.zoom * p.x,
  y: v.y + v.zoom * p.y,
});

describe('the first view of a document', () => {
  it('shows a network too wide for the canvas from its start, readable, the Input at the top left', () => {
    const { graph, sizeOf } = laidOut('densenet121');
    const view = openingViewport(graph, sizeOf, { width: 880, height: 700 });
    expect(view.zoom).toBe(READABLE_ZOOM);
    const input = onScreen(view, graph.nodes.find((n) => n.type === 'Input')!.position);
    expect(input.x).toBeGreaterThanOrEqual(0);
    expect(input.x).toBeLessThan(100);
    expect(input.y).toBeGreaterThanOrEqual(0);
    expect(input.y).toBeLessThan(100);
  });

  it('shows a network that fits whole, centred, at most at zoom 1', () => {
    const { graph, sizeOf } = laidOut('lenet');
    const pane = { width: 4000, height: 3000 };
    const view = openingViewport(graph, sizeOf, pane);
    expect(view.zoom).toBe(1);
    const corners = graph.nodes.map((n) => onScreen(view, n.position));
    const ends = graph.nodes.map((n) =>
      onScreen(view, { x: n.position.x + sizeOf(n.id).width, y: n.position.y }),
    );
    const [left, right] = [Math.min(...corners.map((c) => c.x)), Math.max(...ends.map((c) => c.x))];
    expect(Math.abs(left - (pane.width - right))).toBeLessThan(1);
  });
});
