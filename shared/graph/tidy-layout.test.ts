import { describe, expect, it } from 'vitest';
import { templates } from '../templates/catalogue.ts';
import { applyCommand } from './commands.ts';
import { GraphBuilder } from './graph-builder.ts';
import { ROWS_PER_COLUMN, tidyLayout } from './tidy-layout.ts';

describe('tidy layout', () => {
  it('places every node, each edge going down its column or on to the next, no two nodes on one spot', async () => {
    const g = templates.find((t) => t.id === 'googlenet')!.build();
    const laid = applyCommand(g, await tidyLayout(g)).graph;
    const at = new Map(laid.nodes.map((n) => [n.id, n.position]));
    for (const e of laid.edges) {
      const [from, to] = [at.get(e.source)!, at.get(e.target)!];
      expect(to.y > from.y || to.x > from.x, e.id).toBe(true);
    }
    expect(new Set(laid.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(laid.nodes.length);
  });

  it('wraps a long chain into columns of a few layers, read left to right', async () => {
    const vgg = templates.find((t) => t.id === 'vgg16')!.build();
    const laid = applyCommand(vgg, await tidyLayout(vgg)).graph;
    const columns = [...new Set(laid.nodes.map((n) => n.position.x))].sort((a, b) => a - b);
    expect(columns.length).toBe(Math.ceil(vgg.nodes.length / ROWS_PER_COLUMN));
    expect(new Set(laid.nodes.map((n) => n.position.y)).size).toBe(ROWS_PER_COLUMN);
    // The network starts at the top of the first column.
    const input = laid.nodes.find((n) => n.type === 'Input')!.position;
    expect(input).toEqual({ x: columns[0], y: Math.min(...laid.nodes.map((n) => n.position.y)) });
  });

  it('keeps a short chain in one column, and puts parallel branches side by side', async () => {
    const b0 = new GraphBuilder();
    b0.chain(b0.add('Input'), [['Conv2D'], ['Flatten'], ['Dense'], ['Output']]);
    const column = applyCommand(b0.graph(), await tidyLayout(b0.graph())).graph;
    expect(new Set(column.nodes.map((n) => n.position.x)).size).toBe(1);
    const b = new GraphBuilder();
    const x = b.add('Input');
    b.add('Add', {}, [b.add('Conv2D', {}, x), b.add('Conv2D', {}, x)]);
    const laid = applyCommand(b.graph(), await tidyLayout(b.graph())).graph;
    const [first, second] = ['conv2d1', 'conv2d2'].map((id) => laid.nodes.find((n) => n.id === id)!.position);
    expect(first!.y).toBe(second!.y);
    expect(Math.abs(first!.x - second!.x)).toBeGreaterThanOrEqual(240);
  });
});
