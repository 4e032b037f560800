import { describe, expect, it } from 'vitest';
import { defaultParams } from '../blocks/node-ports.ts';
import { applyCommand } from '../graph/commands.ts';
import type { Graph, GraphNode } from '../graph/document.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { nodeBoxes } from '../layout/node-box.ts';
import { tidyLayout } from '../layout/tidy-layout.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { templates } from '../templates/catalogue.ts';
import { insertAfter, insertOnWire } from './insert-layer.ts';

const check = (graph: Graph) => ({ inference: inferShapes(graph), preview: inferShapes });
const layer = (id: string, type: string): GraphNode => ({
  id,
  type,
  params: defaultParams(type, []),
  position: { x: 0, y: 0 },
});
const wires = (graph: Graph) => graph.edges.map((e) => `${e.source}→${e.target}`);
const away = { x: -500, y: -500 };

function laidLenet(): Graph {
  const g = templates.find((t) => t.id === 'lenet')!.build();
  return applyCommand(g, tidyLayout(g)).graph;
}

function overlapping(graph: Graph): string[] {
  const sizes = nodeBoxes(graph, inferShapes(graph));
  const boxes = graph.nodes.map((n) => ({ id: n.id, ...n.position, ...sizes.get(n.id)! }));
  return boxes.flatMap((a, i) =>
    boxes
      .slice(i + 1)
      .filter(
        (b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height,
      )
      .map((b) => `${a.id}/${b.id}`),
  );
}

describe('inserting a layer', () => {
  it('on a wire: rewired through it, shapes still right, what follows moved to make room, undone whole', () => {
    const graph = laidLenet();
    const wire = graph.edges.find((e) => e.source === 'conv2d1')!;
    const { command, unwired } = insertOnWire(graph, check(graph), wire.id, layer('bn', 'BatchNorm'), away);
    expect(unwired).toBeNull();
    const { graph: after, inverse } = applyCommand(graph, command);
    expect(wires(after)).toContain('conv2d1→bn');
    expect(wires(after)).toContain('bn→avgpool2d1');
    expect(wires(after)).not.toContain('conv2d1→avgpool2d1');
    const shapes = inferShapes(after);
    expect(shapes.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(shapes.nodes.get('bn')).toMatchObject({ status: 'ok' });
    expect(overlapping(after)).toEqual([]);
    expect(applyCommand(after, inverse).graph).toEqual(graph);
  });

  it('after a layer: it feeds whatever that layer fed (both branches of a fork)', () => {
    const b = new GraphBuilder();
    const x = b.add('Input', { channels: 1, height: 8, width: 8 });
    b.add('Add', {}, [
      b.add('Conv2D', { filters: 1, padding: 1 }, x),
      b.add('Conv2D', { filters: 1, padding: 1 }, x),
    ]);
    const graph = b.graph();
    const { command, unwired } = insertAfter(
      graph,
      check(graph),
      'input1',
      layer('relu', 'Activation'),
      away,
    );
    expect(unwired).toBeNull();
    const { graph: after, inverse } = applyCommand(graph, command);
    expect(wires(after).filter((w) => w.startsWith('input1'))).toEqual(['input1→relu']);
    expect(wires(after)).toEqual(expect.arrayContaining(['relu→conv2d1', 'relu→conv2d2']));
    expect(applyCommand(after, inverse).graph).toEqual(graph);
  });

  it('after the last layer: it ends the chain, beside it, and nothing moves', () => {
    const graph = laidLenet();
    const last = graph.nodes.find((n) => n.id === 'dense3')!;
    const trimmed = applyCommand(graph, { kind: 'removeNodes', ids: ['output1'] }).graph;
    const { command, unwired } = insertAfter(trimmed, check(trimmed), 'dense3', layer('out', 'Output'), away);
    expect(unwired).toBeNull();
    const after = applyCommand(trimmed, command).graph;
    expect(wires(after)).toContain('dense3→out');
    expect(after.nodes.filter((n) => n.id !== 'out')).toEqual(trimmed.nodes);
    const out = after.nodes.find((n) => n.id === 'out')!.position;
    expect(Math.abs(out.y - last.position.y)).toBeLessThan(40);
    expect(overlapping(after)).toEqual([]);
  });

  it('says why a layer cannot go where asked, and adds it unwired where the user put it', () => {
    const graph = laidLenet();
    const wire = graph.edges.find((e) => e.source === 'conv2d1')!;
    const flatten = insertOnWire(graph, check(graph), wire.id, layer('flat', 'Flatten'), away);
    expect(flatten.unwired).toMatch(/^Flatten does not fit here: /);
    const after = applyCommand(graph, flatten.command).graph;
    expect(after.edges).toEqual(graph.edges);
    expect(after.nodes.find((n) => n.id === 'flat')!.position).toEqual(away);
    expect(insertOnWire(graph, check(graph), wire.id, layer('in', 'Input'), away).unwired).toBe(
      'Input takes no input: it starts a network.',
    );
    expect(insertAfter(graph, check(graph), 'output1', layer('d', 'Dense'), away).unwired).toBe(
      'Output ends a network: nothing can follow it.',
    );
  });
});
