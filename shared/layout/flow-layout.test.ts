import { describe, expect, it } from 'vitest';
import { templates } from '../templates/catalogue.ts';
import { applyCommand } from '../graph/commands.ts';
import type { Graph } from '../graph/document.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { flowLayout, GAP, ROW_LENGTH } from './flow-layout.ts';
import { LINE, nodeBoxes } from './node-box.ts';
import { tidyLayout } from './tidy-layout.ts';

type Box = { x: number; y: number; width: number; height: number };

function laidBoxes(graph: Graph): Map<string, Box> {
  const boxes = nodeBoxes(graph, inferShapes(graph));
  const at = flowLayout(graph, (id) => boxes.get(id)!);
  return new Map(graph.nodes.map((n) => [n.id, { ...at.get(n.id)!, ...boxes.get(n.id)! }]));
}

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** How far apart two boxes are: the empty room between them across and down (0 where they share a band). */
function apart(a: Box, b: Box): { across: number; down: number } {
  const across = Math.max(0, Math.max(a.x, b.x) - Math.min(a.x + a.width, b.x + b.width));
  const down = Math.max(0, Math.max(a.y, b.y) - Math.min(a.y + a.height, b.y + b.height));
  return { across, down };
}

describe('the flow layout', () => {
  it.each(templates.map((t) => [t.id, t] as const))(
    '%s: no two nodes overlap, each wire joins neighbours one step apart, and the rows stay short',
    (_, template) => {
      const graph = template.build();
      const boxes = laidBoxes(graph);
      const all = [...boxes.values()];
      all.forEach((a, i) => all.slice(i + 1).forEach((b) => expect(overlap(a, b)).toBe(false)));
      for (const e of graph.edges) {
        const gap = apart(boxes.get(e.source)!, boxes.get(e.target)!);
        // Side by side in a row (one layer gap), or one above the other at a turn (one row gap).
        const step =
          (gap.down === 0 && gap.across <= GAP.along) ||
          (gap.across === 0 && gap.down <= GAP.rows + 2 * LINE);
        expect(step, `${e.source} → ${e.target} ${JSON.stringify(gap)}`).toBe(true);
      }
      const right = Math.max(...all.map((b) => b.x + b.width));
      expect(right).toBeLessThanOrEqual(ROW_LENGTH + 420);
    },
  );

  it('folds a long chain as a snake: the second row runs right to left, starting under the first row’s end', () => {
    const b = new GraphBuilder();
    b.chain(
      b.add('Input', { channels: 1, height: 8, width: 8 }),
      Array.from({ length: 20 }, () => ['Dense', { units: 4 }] as const),
    );
    const graph = b.graph();
    const boxes = laidBoxes(graph);
    // A row's nodes share their middle line.
    const middle = (id: string) => boxes.get(id)!.y + boxes.get(id)!.height / 2;
    const centre = (id: string) => boxes.get(id)!.x + boxes.get(id)!.width / 2;
    const rows = [...new Set(graph.nodes.map((n) => middle(n.id)))].sort((x, y) => x - y);
    expect(rows.length).toBeGreaterThan(2);
    const inRow = (y: number) => graph.nodes.filter((n) => middle(n.id) === y).map((n) => centre(n.id));
    const [first, second] = [inRow(rows[0]!), inRow(rows[1]!)];
    expect(first).toEqual([...first].sort((x, y) => x - y));
    expect(second).toEqual([...second].sort((x, y) => y - x));
    expect(second[0]).toBe(first[first.length - 1]);
  });

  it('stacks parallel branches in one layer, between the fork and the join', () => {
    const b = new GraphBuilder();
    const x = b.add('Input');
    const join = b.add('Add', {}, [b.add('Conv2D', {}, x), b.add('Conv2D', {}, x)]);
    b.add('Output', {}, join);
    const boxes = laidBoxes(b.graph());
    const [input, first, second, add] = ['input1', 'conv2d1', 'conv2d2', 'add1'].map((id) => boxes.get(id)!);
    expect(first!.x).toBe(second!.x);
    expect(Math.abs(first!.y - second!.y)).toBeGreaterThanOrEqual(first!.height);
    expect(first!.x).toBeGreaterThan(input!.x + input!.width);
    expect(add!.x).toBeGreaterThan(first!.x + first!.width);
  });

  it('keeps a branching part in one row: no turn inside an Inception, even where the row runs long', () => {
    const b = new GraphBuilder();
    const x = b.chain(b.add('Input', { channels: 3, height: 16, width: 16 }), [['Conv2D'], ['Conv2D']]);
    const branches = [
      b.add('Conv2D', {}, x),
      b.add('Conv2D', {}, b.add('Conv2D', {}, x)),
      b.add('Conv2D', {}, b.add('Conv2D', {}, x)),
      b.add('Conv2D', {}, b.add('MaxPool2D', {}, x)),
    ];
    b.chain(b.add('Concat', {}, branches), [['Conv2D'], ['Conv2D'], ['Conv2D']]);
    const graph = b.graph();
    const boxes = laidBoxes(graph);
    const inside = graph.edges.filter((e) => e.source === 'conv2d2' || e.target === 'concat1');
    const firstBranch = graph.edges.filter((e) => e.source === 'conv2d2').map((e) => e.target);
    for (const e of [...inside, ...graph.edges.filter((e) => firstBranch.includes(e.source))]) {
      const gap = apart(boxes.get(e.source)!, boxes.get(e.target)!);
      expect(gap.across, `${e.source} → ${e.target}`).toBeGreaterThan(0);
    }
  });

  it('puts a second input just before the layer that reads it, and survives a cycle', () => {
    const b = new GraphBuilder();
    const a = b.chain(b.add('Input'), [['Conv2D'], ['Conv2D'], ['Conv2D']]);
    b.add('Concat', {}, [a, b.add('Input')]);
    const boxes = laidBoxes(b.graph());
    const centre = (id: string) => boxes.get(id)!.x + boxes.get(id)!.width / 2;
    expect(Math.abs(centre('input2') - centre('conv2d3'))).toBeLessThanOrEqual(1);
    const cyclic = b.graph();
    cyclic.edges.push({
      id: 'back',
      source: 'concat1',
      sourceHandle: 'out',
      target: 'conv2d1',
      targetHandle: 'in1',
    });
    expect(laidBoxes(cyclic).size).toBe(cyclic.nodes.length);
  });

  it('is one undoable move of every node', () => {
    const graph = templates.find((t) => t.id === 'lenet')!.build();
    const { graph: laid, inverse } = applyCommand(graph, tidyLayout(graph));
    expect(laid.nodes.map((n) => n.position)).not.toEqual(graph.nodes.map((n) => n.position));
    expect(applyCommand(laid, inverse).graph.nodes).toEqual(graph.nodes);
  });
});
