import { describe, expect, it } from 'vitest';
import { applyCommand } from '../graph/commands.ts';
import type { Graph } from '../graph/document.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { compileGraph } from '../compile/compile-graph.ts';
import { countWeights } from '../test/graph-kit.ts';
import { templates } from '../templates/catalogue.ts';
import { expandInstance, makeBlockFromSelection } from './block-commands.ts';
import { builtinBlocks } from './catalogue.ts';

/** Input → one block → GlobalAvgPool → Dense → Output; returns the graph and the block's output shape. */
function around(type: string, args: Record<string, unknown>, input: [number, number, number] = [8, 16, 16]) {
  const b = new GraphBuilder();
  const [channels, height, width] = input;
  const y = b.add(type, args, b.add('Input', { channels, height, width }));
  b.chain(y, [['GlobalAvgPool'], ['Dense', { units: 10 }], ['Output']]);
  const graph = b.graph();
  const inference = inferShapes(graph);
  const r = inference.nodes.get(y.node)!;
  return { graph, inference, shape: r.status === 'ok' ? [...r.outputs.get('out')!] : r.status };
}

describe('built-in blocks', () => {
  it.each([
    ['block:vgg', { numConvs: 2, channels: 32 }, [32, 8, 8]],
    ['block:nin', { channels: 12, kernel: 5, stride: 1, padding: 2 }, [12, 16, 16]],
    ['block:inception', {}, [64 + 128 + 32 + 32, 16, 16]],
    ['block:inception', { batchNorm: true }, [256, 16, 16]],
    ['block:residual', { channels: 8 }, [8, 16, 16]],
    ['block:residual', { channels: 16, stride: 2, projection: true }, [16, 8, 8]],
    ['block:dense', { numConvs: 3, growthRate: 10 }, [8 + 30, 16, 16]],
    ['block:dense', { numConvs: 2, growthRate: 4, bottleneck: true }, [16, 16, 16]],
    ['block:transition', { channels: 4 }, [4, 8, 8]],
    ['block:transition', { ratio: 0.5 }, [4, 8, 8]],
    ['block:transition', { ratio: 0.3, channels: 99 }, [2, 8, 8]],
    ['block:residual', { channels: 16, stride: 2, projection: true, shortcutBatchNorm: true }, [16, 8, 8]],
    ['block:inception', { batchNorm: true, bias: true, branch3Kernel: 3, eps: 1e-3 }, [256, 16, 16]],
    ['block:dense', { numConvs: 2, growthRate: 4, concatOrder: 'newFirst' }, [16, 16, 16]],
  ])('%s %j gives %j and compiles to the same parameter count', (type, args, expected) => {
    const { graph, inference, shape } = around(type, args);
    expect(shape).toEqual(expected);
    const compiled = compileGraph(graph, inference);
    if (!compiled.ok) throw new Error(compiled.error.message);
    expect(countWeights(compiled.value.model)).toEqual(inference.totals.params);
    compiled.value.model.dispose();
  });

  it('options change the counts as PyTorch counts them', () => {
    const params = (type: string, args: Record<string, unknown>) =>
      around(type, args).inference.totals.params;
    const head = 10 * 16 + 10;
    // torchvision's downsample: a bias-free 1×1 conv and a BatchNorm (2×16 weights, 2×16 statistics).
    const residual = { channels: 16, stride: 2, projection: true, bias: false };
    const main = 2 * 9 * 16 * 16 - 9 * 16 * 16 + 9 * 8 * 16 + 2 * 2 * 16;
    expect(params('block:residual', { ...residual, shortcutBatchNorm: true })).toEqual({
      trainable: main + 8 * 16 + 2 * 16 + head,
      nonTrainable: 2 * 2 * 16 + 2 * 16,
    });
    expect(params('block:residual', { ...residual, shortcutBias: true }).trainable).toBe(
      main + 8 * 16 + 16 + head,
    );
    // A 3×3 third branch has 3×3 instead of 5×5 weights per channel pair; with bias, one more per filter.
    const inception = { c1: 1, c2Reduce: 1, c2: 1, c3Reduce: 2, c3: 3, c4: 1, batchNorm: true };
    const five = params('block:inception', inception).trainable;
    expect(params('block:inception', { ...inception, branch3Kernel: 3 }).trainable).toBe(five - 16 * 2 * 3);
    expect(params('block:inception', { ...inception, bias: true }).trainable).toBe(
      five + 1 + 1 + 1 + 2 + 3 + 1,
    );
  });

  it('BatchNorm settings reach every BatchNorm inside a block', () => {
    for (const type of ['block:residual', 'block:inception', 'block:dense', 'block:transition']) {
      const extra = { 'block:residual': { channels: 8 }, 'block:inception': { batchNorm: true } }[type];
      const { graph, inference } = around(type, { eps: 1e-3, momentum: 0.01, ...extra });
      expect(inference.diagnostics, type).toEqual([]);
      const flat = inferShapes(graph).flat;
      const norms = flat.order.filter((n) => n.type === 'BatchNorm');
      expect(norms.length, type).toBeGreaterThan(0);
      for (const n of norms) expect(flat.params.get(n.id), type).toMatchObject({ eps: 1e-3, momentum: 0.01 });
    }
  });

  it('a dense block puts each unit’s new channels after its input, or before', () => {
    const concatInputs = (concatOrder: string) => {
      const { graph } = around('block:dense', { numConvs: 1, growthRate: 4, concatOrder });
      const flat = inferShapes(graph).flat;
      const concat = flat.order.find((n) => n.type === 'Concat')!;
      return flat.edges
        .filter((e) => e.target === concat.id)
        .sort((a, b) => a.targetHandle.localeCompare(b.targetHandle))
        .map((e) => flat.order.find((n) => n.id === e.source)!.type);
    };
    expect(concatInputs('inputFirst')).toEqual(['Input', 'Conv2D']);
    expect(concatInputs('newFirst')).toEqual(['Conv2D', 'Input']);
  });

  it('every built-in has defaults that parse', () => {
    for (const block of builtinBlocks) expect(block.params.safeParse({}).success, block.ref).toBe(true);
  });

  it('a problem inside a block is shown on the block, naming the inner layer', () => {
    const { inference } = around('block:residual', { channels: 16, stride: 2 });
    expect(inference.diagnostics).toMatchObject([
      {
        severity: 'error',
        code: 'shapeMismatch',
        nodeId: 'residual1',
        innerNodeId: 'residual1/add1',
        message: expect.stringMatching(/Inside the block, Add "add1": Add needs inputs of one shape/),
      },
    ]);
  });

  it('bad block arguments, unknown blocks and unconnected block inputs are pinned to the instance', () => {
    expect(around('block:vgg', { numConvs: 0 }).inference.diagnostics).toMatchObject([
      { code: 'badParams', nodeId: 'vgg1', message: expect.stringMatching(/numConvs/) },
    ]);
    expect(around('block:nope', {}).inference.diagnostics).toMatchObject([
      { code: 'unknownType', nodeId: 'nope1' },
    ]);
    const b = new GraphBuilder();
    b.add('Input');
    b.chain(b.add('block:inception'), [['GlobalAvgPool'], ['Dense', { units: 10 }], ['Output']]);
    const missing = inferShapes(b.graph()).diagnostics.filter((d) => d.severity === 'error');
    expect(missing).toEqual([
      expect.objectContaining({ code: 'missingInput', nodeId: 'inception1', port: 'in' }),
    ]);
  });
});

const lenet = templates.find((t) => t.id === 'lenet')!.build();

function made(
  graph: Graph,
  ids: string[],
  params: { name: string; bindings: { node: string; param: string }[] }[] = [],
) {
  const cmd = makeBlockFromSelection(graph, ids, { name: 'Conv + pool', params });
  if (!cmd.ok) throw new Error(cmd.error);
  return applyCommand(graph, cmd.value);
}

describe('user blocks', () => {
  it('making a block from a selection keeps every shape and count; undo restores the layers', () => {
    const { graph, inverse } = made(lenet, ['conv2d1', 'avgpool2d1']);
    expect(graph.blocks).toHaveLength(1);
    expect(graph.nodes.map((n) => n.type)).toContain('block:block1');
    const before = inferShapes(lenet);
    const after = inferShapes(graph);
    expect(after.diagnostics).toEqual([]);
    expect(after.totals).toEqual(before.totals);
    expect(applyCommand(graph, inverse).graph).toEqual(lenet);
  });

  it('a block is reused: a second instance, and editing the definition updates every instance', () => {
    const b = new GraphBuilder();
    const x = b.add('Input', { channels: 1, height: 28, width: 28 });
    const a = b.add('Conv2D', { filters: 4, kernel: 3, padding: 1, activation: 'relu' }, x);
    const p = b.add('MaxPool2D', { kernel: 2 }, a);
    const c = b.add('Conv2D', { filters: 4, kernel: 3, padding: 1, activation: 'relu' }, p);
    const q = b.add('MaxPool2D', { kernel: 2 }, c);
    b.chain(q, [['Flatten'], ['Dense', { units: 10 }], ['Output']]);
    let { graph } = made(
      b.graph(),
      [a.node, p.node],
      [{ name: 'filters', bindings: [{ node: a.node, param: 'filters' }] }],
    );
    // Replace the second conv + pool by another instance of the same block.
    graph = applyCommand(graph, {
      kind: 'batch',
      commands: [
        { kind: 'removeNodes', ids: [c.node, q.node] },
        {
          kind: 'addNodes',
          nodes: [{ id: 'again', type: 'block:block1', params: {}, position: { x: 0, y: 0 } }],
          edges: [
            { id: 'r1', source: 'block11', sourceHandle: 'out', target: 'again', targetHandle: 'in' },
            { id: 'r2', source: 'again', sourceHandle: 'out', target: 'flatten1', targetHandle: 'in' },
          ],
        },
      ],
    }).graph;
    const shapes = (g: Graph) =>
      ['block11', 'again'].map((id) => {
        const r = inferShapes(g).nodes.get(id)!;
        return r.status === 'ok' ? [...r.outputs.get('out')!] : r.status;
      });
    expect(shapes(graph)).toEqual([
      [4, 14, 14],
      [4, 7, 7],
    ]);

    const def = graph.blocks[0]!;
    const edited = {
      ...def,
      nodes: def.nodes.map((n) => (n.type === 'Conv2D' ? { ...n, params: { ...n.params, filters: 6 } } : n)),
    };
    const updated = applyCommand(graph, { kind: 'putBlock', block: edited }).graph;
    expect(shapes(updated)).toEqual([
      [6, 14, 14],
      [6, 7, 7],
    ]);

    const exposed = applyCommand(graph, { kind: 'setParams', id: 'block11', params: { filters: 9 } }).graph;
    expect(shapes(exposed)).toEqual([
      [9, 14, 14],
      [4, 7, 7],
    ]);
    const bad = inferShapes(
      applyCommand(graph, { kind: 'setParams', id: 'block11', params: { filters: 0 } }).graph,
    );
    expect(bad.diagnostics).toMatchObject([
      { code: 'badParams', nodeId: 'block11', innerNodeId: 'block11/conv2d1' },
    ]);
  });

  it('refuses selections that cannot be a block', () => {
    expect(makeBlockFromSelection(lenet, [], { name: 'x' })).toMatchObject({ ok: false });
    expect(makeBlockFromSelection(lenet, ['input1', 'conv2d1'], { name: 'x' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Input and Output/),
    });
  });

  it('a block that contains itself is reported, not expanded forever', () => {
    const { graph } = made(lenet, ['conv2d1', 'avgpool2d1']);
    const def = graph.blocks[0]!;
    const selfish = {
      ...def,
      nodes: [...def.nodes, { id: 'me', type: 'block:block1', params: {}, position: { x: 0, y: 0 } }],
    };
    const inf = inferShapes(applyCommand(graph, { kind: 'putBlock', block: selfish }).graph);
    expect(inf.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'blockRecursion', nodeId: 'block11' }),
    );
  });
});

describe('unpacking a block instance', () => {
  it.each(['vgg-mini', 'resnet-mini', 'googlenet'])(
    'keeps the shapes and counts of %s, and undoes exactly',
    (id) => {
      const graph = templates.find((t) => t.id === id)!.build();
      const instance = graph.nodes.find((n) => n.type.startsWith('block:'))!;
      const cmd = expandInstance(graph, instance.id);
      if (!cmd.ok) throw new Error(cmd.error);
      const { graph: unpacked, inverse } = applyCommand(graph, cmd.value);
      expect(unpacked.nodes.some((n) => n.id === instance.id)).toBe(false);
      const before = inferShapes(graph);
      const after = inferShapes(unpacked);
      expect(after.diagnostics).toEqual([]);
      expect(after.totals).toEqual(before.totals);
      expect(applyCommand(unpacked, inverse).graph).toEqual(graph);
    },
  );

  it('makes room for the layers: none lands on another node, branches side by side', () => {
    const graph = templates.find((t) => t.id === 'googlenet')!.build();
    const laid = applyCommand(graph, {
      kind: 'moveNodes',
      moves: graph.nodes.map((n, i) => ({ id: n.id, position: { x: 0, y: i * 130 } })),
    }).graph;
    const inception = laid.nodes.find((n) => n.type === 'block:inception')!;
    const cmd = expandInstance(laid, inception.id);
    if (!cmd.ok) throw new Error(cmd.error);
    const unpacked = applyCommand(laid, cmd.value).graph;
    const spots = unpacked.nodes.map((n) => `${n.position.x},${n.position.y}`);
    expect(new Set(spots).size).toBe(unpacked.nodes.length);
    const branches = unpacked.nodes.filter((n) => n.id.startsWith(`${inception.id}_`));
    expect(new Set(branches.map((n) => n.position.x)).size).toBeGreaterThan(1);
    // What followed the block still follows it, below its last layer.
    const next = laid.nodes[laid.nodes.indexOf(inception) + 1]!;
    const lowest = Math.max(...branches.map((n) => n.position.y));
    expect(unpacked.nodes.find((n) => n.id === next.id)!.position.y).toBeGreaterThan(lowest);
  });

  it('unpacks a user block back into its layers', () => {
    const { graph } = made(lenet, ['conv2d1', 'avgpool2d1']);
    const cmd = expandInstance(graph, 'block11');
    if (!cmd.ok) throw new Error(cmd.error);
    const unpacked = applyCommand(graph, cmd.value).graph;
    expect(unpacked.nodes.filter((n) => n.id.startsWith('block11_')).map((n) => n.type)).toEqual([
      'Conv2D',
      'AvgPool2D',
    ]);
    expect(inferShapes(unpacked).totals).toEqual(inferShapes(lenet).totals);
    expect(expandInstance(graph, 'input1')).toMatchObject({ ok: false });
  });
});
