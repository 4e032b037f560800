import { describe, expect, it } from 'vitest';
import { applyCommand, type GraphCommand } from '../graph/commands.ts';
import type { Graph } from '../graph/document.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { inferShapes, type NodeInference } from '../shapes/infer-shapes.ts';
import { templates } from '../templates/catalogue.ts';
import { makeBlockFromSelection } from '../blocks/block-commands.ts';
import { editInside, openPath, previewInside, type BlockInside } from './block-inside.ts';
import { isBoundaryNode } from '../blocks/block-kind.ts';

const shapeOf = (inside: BlockInside, id: string) => {
  const r = inside.inference.nodes.get(id);
  return r?.status === 'ok' ? [...r.outputs.values()][0] : r?.status;
};

function okResult(r: NodeInference | undefined) {
  if (r?.status !== 'ok') throw new Error(`expected a result, got ${r?.status}`);
  return r;
}

function open(graph: Graph, path: string[]): BlockInside {
  const inside = openPath(graph, inferShapes(graph), path);
  if (!inside?.ok) throw new Error(inside ? inside.error : 'empty path');
  return inside.value;
}

/** Input → two instances of one user block (Conv 3×3 → MaxPool 2, `filters` exposed) → Flatten → Dense → Output. */
function twoInstances(): Graph {
  const b = new GraphBuilder();
  const x = b.add('Input', { channels: 1, height: 28, width: 28 });
  const conv = b.add('Conv2D', { filters: 4, kernel: 3, padding: 1 }, x);
  const pool = b.add('MaxPool2D', { kernel: 2 }, conv);
  b.chain(pool, [['Flatten'], ['Dense', { units: 10 }], ['Output']]);
  const made = makeBlockFromSelection(b.graph(), [conv.node, pool.node], {
    name: 'Conv pool',
    params: [{ name: 'filters', bindings: [{ node: conv.node, param: 'filters' }] }],
  });
  if (!made.ok) throw new Error(made.error);
  let graph = applyCommand(b.graph(), made.value).graph;
  const first = graph.nodes.find((n) => n.type === 'block:block1')!;
  graph = applyCommand(graph, {
    kind: 'batch',
    commands: [
      { kind: 'removeEdges', ids: graph.edges.filter((e) => e.source === first.id).map((e) => e.id) },
      {
        kind: 'addNodes',
        nodes: [{ id: 'second', type: 'block:block1', params: {}, position: { x: 0, y: 300 } }],
        edges: [
          { id: 'x1', source: first.id, sourceHandle: 'out', target: 'second', targetHandle: 'in' },
          { id: 'x2', source: 'second', sourceHandle: 'out', target: 'flatten1', targetHandle: 'in' },
        ],
      },
    ],
  }).graph;
  return graph;
}

const firstInstance = (g: Graph) => g.nodes.find((n) => n.type === 'block:block1' && n.id !== 'second')!.id;

describe('the inside of a block', () => {
  it('a built-in block shows its layers with the shapes they have here, read-only', () => {
    const vgg11 = templates.find((t) => t.id === 'vgg11')!.build();
    const block = vgg11.nodes.find((n) => n.type === 'block:vgg' && n.params['numConvs'] === 2)!;
    const inside = open(vgg11, [block.id]);
    expect(inside.definition).toBeNull();
    expect(inside.graph.nodes.filter((n) => !isBoundaryNode(n)).map((n) => n.type)).toEqual([
      'Conv2D',
      'Conv2D',
      'MaxPool2D',
    ]);
    const outside = inferShapes(vgg11);
    const feed = vgg11.edges.find((e) => e.target === block.id)!;
    expect(shapeOf(inside, '@in:in')).toEqual(outside.edges.get(feed.id));
    const pool = inside.graph.nodes.find((n) => n.type === 'MaxPool2D')!;
    const instance = okResult(outside.nodes.get(block.id));
    expect(shapeOf(inside, pool.id)).toEqual(instance.outputs.get('out'));
    expect(inside.inference.totals.params).toEqual(instance.params);
    // Laid out by depth: every edge points down the page.
    const y = new Map(inside.graph.nodes.map((n) => [n.id, n.position.y]));
    for (const e of inside.graph.edges) expect(y.get(e.target)!).toBeGreaterThan(y.get(e.source)!);
    const edit = editInside(vgg11, inside, { kind: 'removeNodes', ids: [pool.id] });
    expect(edit).toMatchObject({ ok: false, error: expect.stringMatching(/built-in block.*unpack/) });
  });

  it('editing a user block’s inside changes its definition, and so every instance; undo restores it', () => {
    const graph = twoInstances();
    const inside = open(graph, [firstInstance(graph)]);
    const conv = inside.graph.nodes.find((n) => n.type === 'Conv2D')!;
    expect(shapeOf(inside, conv.id)).toEqual([4, 28, 28]);
    const edit = editInside(graph, inside, {
      kind: 'setParams',
      id: conv.id,
      params: { ...conv.params, kernel: 5, padding: 0 },
    });
    if (!edit.ok) throw new Error(edit.error);
    const { graph: after, inverse } = applyCommand(graph, edit.value);
    const out = (g: Graph, id: string) => {
      const r = inferShapes(g).nodes.get(id)!;
      return r.status === 'ok' ? [...r.outputs.get('out')!] : r.status;
    };
    expect([out(after, firstInstance(after)), out(after, 'second')]).toEqual([
      [4, 12, 12],
      [4, 4, 4],
    ]);
    expect(shapeOf(open(after, ['second']), conv.id)).toEqual([4, 8, 8]);
    expect(applyCommand(after, inverse).graph).toEqual(graph);
  });

  it('refuses an edit that would leave a block input or output unconnected, saying what to do', () => {
    const graph = twoInstances();
    const inside = open(graph, ['second']);
    const fromInput = inside.graph.edges.find((e) => e.source === '@in:in')!;
    const toOutput = inside.graph.edges.find((e) => e.target === '@out:out')!;
    expect(editInside(graph, inside, { kind: 'removeEdges', ids: [fromInput.id] })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Input "in" of the block must feed at least one layer/),
    });
    expect(editInside(graph, inside, { kind: 'removeEdges', ids: [toOutput.id] })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Output "out" of the block must come from a layer/),
    });
    const input: GraphCommand = {
      kind: 'addNodes',
      nodes: [{ id: 'i', type: 'Input', params: {}, position: { x: 0, y: 0 } }],
      edges: [],
    };
    expect(editInside(graph, inside, input)).toMatchObject({ ok: false });
  });

  it('deleting a layer bound to an exposed parameter drops the parameter and the instances’ arguments', () => {
    let graph = twoInstances();
    graph = applyCommand(graph, { kind: 'setParams', id: 'second', params: { filters: 8 } }).graph;
    const inside = open(graph, ['second']);
    const conv = inside.graph.nodes.find((n) => n.type === 'Conv2D')!;
    const pool = inside.graph.nodes.find((n) => n.type === 'MaxPool2D')!;
    const edit = editInside(graph, inside, {
      kind: 'batch',
      commands: [
        {
          kind: 'addEdges',
          edges: [
            { id: 'bypass', source: '@in:in', sourceHandle: 'out', target: pool.id, targetHandle: 'in' },
          ],
        },
        { kind: 'removeNodes', ids: [conv.id] },
      ],
    });
    if (!edit.ok) throw new Error(edit.error);
    const after = applyCommand(graph, edit.value).graph;
    expect(after.blocks[0]!.params).toEqual([]);
    expect(after.nodes.find((n) => n.id === 'second')!.params).toEqual({});
    expect(inferShapes(after).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a layer inside with a problem is pinned to that layer; an unconnected block input to its boundary node', () => {
    const graph = twoInstances();
    const broken = applyCommand(graph, { kind: 'setParams', id: 'second', params: { filters: 0 } }).graph;
    const inside = open(broken, ['second']);
    const conv = inside.graph.nodes.find((n) => n.type === 'Conv2D')!;
    expect(inside.inference.diagnostics).toMatchObject([{ nodeId: conv.id, code: 'badParams' }]);

    const loose = applyCommand(graph, { kind: 'removeEdges', ids: ['x1'] }).graph;
    expect(open(loose, ['second']).inference.diagnostics).toMatchObject([
      { nodeId: '@in:in', message: expect.stringMatching(/not connected in the graph around it/) },
    ]);
  });

  it('opens a block inside a block, with the shapes of that place', () => {
    const b = new GraphBuilder();
    const x = b.add('Input', { channels: 3, height: 32, width: 32 });
    const vgg = b.add('block:vgg', { numConvs: 1, channels: 8 }, x);
    const relu = b.add('ReLU', {}, vgg);
    b.chain(relu, [['Flatten'], ['Dense', { units: 10 }], ['Output']]);
    const made = makeBlockFromSelection(b.graph(), [vgg.node, relu.node], { name: 'Outer' });
    if (!made.ok) throw new Error(made.error);
    const graph = applyCommand(b.graph(), made.value).graph;
    const outer = open(graph, ['block11']);
    const inner = open(graph, ['block11', vgg.node]);
    expect(inner.prefix).toBe(`block11/${vgg.node}/`);
    expect(shapeOf(inner, '@in:in')).toEqual([3, 32, 32]);
    expect(shapeOf(outer, vgg.node)).toEqual([8, 16, 16]);
    const conv = inner.graph.nodes.find((n) => n.type === 'Conv2D')!;
    expect(shapeOf(inner, conv.id)).toEqual([8, 32, 32]);
  });

  it('previews the inside after an edit, for the connection check', () => {
    const graph = twoInstances();
    const inside = open(graph, ['second']);
    const conv = inside.graph.nodes.find((n) => n.type === 'Conv2D')!;
    const edited = applyCommand(inside.graph, {
      kind: 'setParams',
      id: conv.id,
      params: { ...conv.params, filters: 2 },
    }).graph;
    const preview = previewInside(graph, ['second'], inside, edited);
    expect(okResult(preview.nodes.get(conv.id)).outputs.get('out')).toEqual([2, 14, 14]);
  });
});

describe('an instance’s own values inside its block', () => {
  /** The two instances set `filters` to 8 and 16; the definition holds 4. */
  function differing(): Graph {
    const g = twoInstances();
    const first = firstInstance(g);
    return {
      ...g,
      nodes: g.nodes.map((n) =>
        n.id === first
          ? { ...n, params: { filters: 8 } }
          : n.id === 'second'
            ? { ...n, params: { filters: 16 } }
            : n,
      ),
    };
  }
  const conv = (inside: BlockInside) => inside.graph.nodes.find((n) => n.type === 'Conv2D')!;

  it('shows each instance’s exposed values beside the shapes they make', () => {
    const g = differing();
    const first = open(g, [firstInstance(g)]);
    const second = open(g, ['second']);
    expect(conv(first).params['filters']).toBe(8);
    expect(conv(second).params['filters']).toBe(16);
    expect(shapeOf(first, conv(first).id)).toEqual([8, 28, 28]);
    expect(shapeOf(second, conv(second).id)).toEqual([16, 14, 14]);
  });

  it('an edit inside changes the definition’s own values, not to the instance’s exposed ones', () => {
    const g = differing();
    const inside = open(g, ['second']);
    const c = conv(inside);
    const edit = editInside(g, inside, {
      kind: 'setParams',
      id: c.id,
      params: { ...c.params, kernel: 5, padding: 2 },
    });
    if (!edit.ok) throw new Error(edit.error);
    const after = applyCommand(g, edit.value).graph;
    const def = after.blocks[0]!.nodes.find((n) => n.id === c.id)!;
    expect(def.params).toMatchObject({ filters: 4, kernel: 5, padding: 2 });
    expect(conv(open(after, [firstInstance(after)])).params).toMatchObject({ filters: 8, kernel: 5 });
  });
});

describe('an unused layer inside a block', () => {
  /** The user block with a Dropout inside whose output goes nowhere. */
  function withLooseLayer(): Graph {
    const g = twoInstances();
    const def = g.blocks[0]!;
    const loose = { id: 'loose', type: 'Dropout', params: {}, position: { x: 300, y: 0 } };
    const source = def.nodes[0]!.id;
    const edge = { id: 'to-loose', source, sourceHandle: 'out', target: 'loose', targetHandle: 'in' };
    return { ...g, blocks: [{ ...def, nodes: [...def.nodes, loose], edges: [...def.edges, edge] }] };
  }

  it('is flagged in the graph at each instance, naming the layer so Problems can open the block to it', () => {
    const g = withLooseLayer();
    const first = firstInstance(g);
    const unused = inferShapes(g).diagnostics.filter((d) => d.code === 'unusedOutput');
    expect(unused).toEqual([
      expect.objectContaining({ severity: 'warning', nodeId: first, innerNodeId: `${first}/loose` }),
      expect.objectContaining({ severity: 'warning', nodeId: 'second', innerNodeId: 'second/loose' }),
    ]);
    expect(unused[0]!.message).toMatch(/Inside the block, Dropout "loose": its output is not used/);
  });

  it('is flagged at the layer inside the open block, as at the top level', () => {
    const inside = open(withLooseLayer(), ['second']);
    expect(inside.inference.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'unusedOutput', nodeId: 'loose' }),
    ]);
  });
});
