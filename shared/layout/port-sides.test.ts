import { describe, expect, it } from 'vitest';
import type { Graph } from '../graph/document.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { openPath } from '../editing/block-inside.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { flowLayout } from './flow-layout.ts';
import { nodeBoxes } from './node-box.ts';
import { portSides, type PortSides } from './port-sides.ts';

function sidesOf(graph: Graph, laidOut: boolean): Map<string, PortSides> {
  const boxes = nodeBoxes(graph, inferShapes(graph));
  const at = laidOut
    ? flowLayout(graph, (id) => boxes.get(id)!)
    : new Map(graph.nodes.map((n) => [n.id, n.position]));
  return portSides(graph, (id) => ({ ...at.get(id)!, ...boxes.get(id)! }));
}

describe('port sides', () => {
  it('face the wires of a snake: across a row, down at its end, back the other way on the next row', () => {
    const b = new GraphBuilder();
    b.chain(
      b.add('Input', { channels: 1, height: 8, width: 8 }),
      Array.from({ length: 12 }, () => ['Dense', { units: 4 }] as const),
    );
    const graph = b.graph();
    const sides = sidesOf(graph, true);
    // The chain in order, the first row's length read from the layout: where the wire first turns down.
    const order = graph.nodes.map((n) => sides.get(n.id)!);
    const turn = order.findIndex((s) => s.outputs !== 'right');
    expect(turn).toBeGreaterThan(1);
    expect(order.slice(1, turn)).toEqual(Array(turn - 1).fill({ inputs: 'left', outputs: 'right' }));
    expect(order[0]!.outputs).toBe('right');
    expect(order[turn]).toEqual({ inputs: 'left', outputs: 'bottom' });
    expect(order[turn + 1]).toEqual({ inputs: 'top', outputs: 'left' });
    expect(order[turn + 2]).toEqual({ inputs: 'right', outputs: 'left' });
  });

  it('keep a branch stacked in a row facing along the row, whatever its height', () => {
    const b = new GraphBuilder();
    const x = b.add('Input');
    const branches = [0, 1, 2, 3].map(() => b.add('Conv2D', {}, x));
    b.add('Output', {}, b.add('Concat', {}, branches));
    const sides = sidesOf(b.graph(), true);
    for (const id of ['conv2d1', 'conv2d2', 'conv2d3', 'conv2d4'])
      expect(sides.get(id), id).toEqual({ inputs: 'left', outputs: 'right' });
    expect(sides.get('input1')!.outputs).toBe('right');
    expect(sides.get('concat1')!.inputs).toBe('left');
  });

  it.each(['block:inception', 'block:residual'])(
    'stay top and bottom in a drawing read downwards (%s’s inside), its nodes side by side, not on each other',
    (type) => {
      const b = new GraphBuilder();
      b.add('Output', {}, b.add(type, {}, b.add('Input', { channels: 3, height: 16, width: 16 })));
      const graph = b.graph();
      const inside = openPath(graph, inferShapes(graph), [graph.nodes[1]!.id]);
      if (!inside?.ok) throw new Error('the block did not open');
      const { graph: drawn, inference } = inside.value;
      const sides = sidesOf(drawn, false);
      for (const [id, s] of sides) expect(s, id).toEqual({ inputs: 'top', outputs: 'bottom' });
      const sizes = nodeBoxes(drawn, inference);
      const boxes = drawn.nodes.map((n) => ({ id: n.id, ...n.position, ...sizes.get(n.id)! }));
      const overlaps = boxes.flatMap((p, i) =>
        boxes
          .slice(i + 1)
          .filter(
            (q) => p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height,
          )
          .map((q) => `${p.id}/${q.id}`),
      );
      expect(overlaps).toEqual([]);
    },
  );
});
