import { describe, expect, it } from 'vitest';
import { findTemplate } from '../../../shared/templates/catalogue.ts';
import { inferShapes } from '../../../shared/shapes/infer-shapes.ts';
import { toFlowEdges, toFlowNodes } from './to-flow.ts';

describe('the graph as React Flow nodes and edges', () => {
  const graph = findTemplate('vgg-mini')!.build();

  it('gives each node its ports, shape result and selection; blocks are marked', () => {
    const nodes = toFlowNodes(graph, inferShapes(graph), 'CHW', ['vgg2']);
    expect(nodes.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id));
    const vgg2 = nodes.find((n) => n.id === 'vgg2')!;
    expect(vgg2).toMatchObject({
      type: 'layer',
      selected: true,
      data: { isBlock: true, title: 'VGG block' },
    });
    expect(vgg2.data.result).toMatchObject({ status: 'ok' });
    expect(nodes.find((n) => n.id === 'output1')!.data.outputs).toEqual([]);
  });

  it('labels each edge with its tensor shape in the order asked, and pins a problem to its node', () => {
    const edges = toFlowEdges(graph, inferShapes(graph), 'CHW');
    expect(edges.find((e) => e.source === 'vgg3')!.label).toBe('64×3×3');
    expect(toFlowEdges(graph, inferShapes(graph), 'HWC').find((e) => e.source === 'vgg3')!.label).toBe(
      '3×3×64',
    );
    const broken = {
      ...graph,
      nodes: graph.nodes.map((n) => (n.id === 'input1' ? { ...n, params: { ...n.params, height: 3 } } : n)),
    };
    const nodes = toFlowNodes(broken, inferShapes(broken), 'CHW', []);
    expect(nodes.filter((n) => n.data.problem).map((n) => n.id).length).toBeGreaterThan(0);
    expect(
      toFlowEdges(broken, inferShapes(broken), 'CHW').some((e) => e.className === 'tensor-edge unknown'),
    ).toBe(true);
  });
});
