import { describe, expect, it } from 'vitest';
import { templates } from '../templates/catalogue.ts';
import { applyCommand } from './commands.ts';
import { GraphBuilder } from './graph-builder.ts';
import { tidyLayout } from './tidy-layout.ts';

describe('tidy layout', () => {
  it('places every node, each edge going downwards, no two nodes on one spot', async () => {
    const g = templates.find((t) => t.id === 'googlenet')!.build();
    const laid = applyCommand(g, await tidyLayout(g)).graph;
    const at = new Map(laid.nodes.map((n) => [n.id, n.position]));
    for (const e of laid.edges) expect(at.get(e.target)!.y, e.id).toBeGreaterThan(at.get(e.source)!.y);
    expect(new Set(laid.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(laid.nodes.length);
  });

  it('keeps a chain in one column, and puts parallel branches side by side', async () => {
    const chain = templates.find((t) => t.id === 'resnet-mini')!.build();
    const column = applyCommand(chain, await tidyLayout(chain)).graph;
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
