import { describe, expect, it } from 'vitest';
import { findTemplate } from '../../../shared/templates/catalogue.ts';
import { inferShapes } from '../../../shared/shapes/infer-shapes.ts';
import { dataFit } from '../../../shared/train/data-fit.ts';
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

  it('marks the Output and the Input where the design misfits the data chosen (3 classes of RGB images)', () => {
    const inference = inferShapes(graph);
    const { problems } = dataFit(graph, inference, { shape: [3, 28, 28], classes: 3 });
    const nodes = toFlowNodes(graph, inference, 'CHW', [], new Map(), problems);
    const marked = nodes.filter((n) => n.data.problem);
    expect(marked.map((n) => n.id).sort()).toEqual(['input1', 'output1']);
    expect(marked.find((n) => n.id === 'output1')!.data.problem).toMatch(/10 class scores.*3/);
    expect(toFlowNodes(graph, inference, 'CHW', []).some((n) => n.data.problem)).toBe(false);
  });
});
