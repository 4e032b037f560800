import { describe, expect, it } from 'vitest';
import type { Graph } from '../graph/document.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { applyCommand } from '../graph/commands.ts';
import { inferShapes } from './infer-shapes.ts';
import type { Diagnostic } from './diagnostic.ts';

const errors = (g: Graph): Diagnostic[] => inferShapes(g).diagnostics.filter((d) => d.severity === 'error');

/** Input 1×28×28 → … → Output, built by `middle` from the input's source. */
function network(
  middle: (b: GraphBuilder, x: ReturnType<GraphBuilder['add']>) => ReturnType<GraphBuilder['add']>,
): Graph {
  const b = new GraphBuilder();
  const x = b.add('Input', { channels: 1, height: 28, width: 28 });
  b.chain(middle(b, x), [['Flatten'], ['Dense', { units: 10 }], ['Output']]);
  return b.graph();
}

describe('diagnostics are pinned to the node and port at fault, with a fix', () => {
  it('a sound network has none', () => {
    expect(inferShapes(network((b, x) => b.add('Conv2D', {}, x))).diagnostics).toEqual([]);
  });

  it('Add of different shapes: on the Add, at the mismatched port, suggesting a 1×1 projection', () => {
    const g = network((b, x) => {
      const a = b.add('Conv2D', { filters: 8, kernel: 3, padding: 1 }, x);
      const c = b.add('Conv2D', { filters: 16, kernel: 3, padding: 1 }, x);
      return b.add('Add', {}, [a, c]);
    });
    const [d, ...rest] = errors(g);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'shapeMismatch', nodeId: 'add1', port: 'in1' });
    expect(d!.message).toMatch(/8×28×28.*16×28×28.*1×1 Conv2D of 8 filters/);
    // Downstream layers are blocked, not reported again.
    expect(inferShapes(g).nodes.get('flatten1')).toEqual({ status: 'blocked' });
  });

  it('Concat of different H×W', () => {
    const g = network((b, x) => {
      const a = b.add('Conv2D', { filters: 8, kernel: 3, padding: 1 }, x);
      const c = b.add('MaxPool2D', { kernel: 2 }, x);
      return b.add('Concat', {}, [a, c]);
    });
    expect(errors(g)).toMatchObject([
      {
        code: 'shapeMismatch',
        nodeId: 'concat1',
        port: 'in1',
        message: expect.stringMatching(/same H×W.*28×28.*14×14/),
      },
    ]);
  });

  it('Concat of a vector and an image', () => {
    const g = network((b, x) => b.add('Concat', {}, [b.add('Flatten', {}, x), x]));
    expect(errors(g)).toMatchObject([{ code: 'rankMismatch', nodeId: 'concat1' }]);
  });

  it('a kernel larger than its padded input', () => {
    const g = network((b, x) =>
      b.chain(x, [
        ['MaxPool2D', { kernel: 8 }],
        ['Conv2D', { kernel: 5 }],
      ]),
    );
    expect(errors(g)).toMatchObject([
      {
        code: 'kernelTooLarge',
        nodeId: 'conv2d1',
        message: expect.stringMatching(/5×5 window is larger than its padded input 3×3/),
      },
    ]);
  });

  it('Dense on a 4-D tensor says to insert a Flatten', () => {
    const b = new GraphBuilder();
    b.chain(b.add('Input'), [['Dense', { units: 10 }], ['Output']]);
    expect(errors(b.graph())).toMatchObject([
      {
        code: 'rankMismatch',
        nodeId: 'dense1',
        port: 'in',
        message: expect.stringMatching(/Insert a Flatten/),
      },
    ]);
  });

  it('out-of-range parameters name the field', () => {
    const g = network((b, x) => b.add('Conv2D', { filters: -3 }, x));
    expect(errors(g)).toMatchObject([
      { code: 'badParams', nodeId: 'conv2d1', message: expect.stringMatching(/filters.*inspector/) },
    ]);
  });

  it('a missing input, pinned to the port', () => {
    const b = new GraphBuilder();
    b.add('Input');
    b.chain(b.add('Conv2D'), [['Flatten'], ['Dense', { units: 10 }], ['Output']]);
    const g = b.graph();
    expect(errors(g)).toMatchObject([{ code: 'missingInput', nodeId: 'conv2d1', port: 'in' }]);
    expect(inferShapes(g).diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'warning', code: 'unusedOutput', nodeId: 'input1' }),
    );
  });

  it('two edges into one port, and an edge into a port the layer lacks', () => {
    const g = network((b, x) => b.add('Conv2D', {}, x));
    const twice = applyCommand(g, {
      kind: 'addEdges',
      edges: [{ id: 'x', source: 'input1', sourceHandle: 'out', target: 'conv2d1', targetHandle: 'in' }],
    }).graph;
    expect(errors(twice)).toMatchObject([{ code: 'extraInput', nodeId: 'conv2d1', port: 'in' }]);
    const wrongPort = applyCommand(g, {
      kind: 'addEdges',
      edges: [{ id: 'x', source: 'input1', sourceHandle: 'out', target: 'conv2d1', targetHandle: 'in7' }],
    }).graph;
    expect(errors(wrongPort)).toMatchObject([{ code: 'unknownPort', nodeId: 'conv2d1', port: 'in7' }]);
  });

  it('a cycle: every node on it, none after it', () => {
    const b = new GraphBuilder();
    const x = b.add('Input');
    const a = b.add('Add', {}, [x, { node: 'conv2d1', port: 'out' }]);
    b.chain(b.add('Conv2D', { filters: 1, kernel: 3, padding: 1 }, a), [
      ['Flatten'],
      ['Dense', { units: 10 }],
      ['Output'],
    ]);
    const inf = inferShapes(b.graph());
    expect(
      inf.diagnostics
        .filter((d) => d.code === 'cycle')
        .map((d) => d.nodeId)
        .sort(),
    ).toEqual(['add1', 'conv2d1']);
    expect(inf.nodes.get('flatten1')).toEqual({ status: 'blocked' });
  });

  it('no Input, no Output, or more than one', () => {
    const b = new GraphBuilder();
    b.add('Conv2D');
    expect(
      errors(b.graph())
        .map((d) => d.code)
        .sort(),
    ).toEqual(['inputCount', 'missingInput', 'outputCount']);
    const two = new GraphBuilder();
    const x1 = two.add('Input');
    const x2 = two.add('Input');
    two.add(
      'Output',
      {},
      two.add('Dense', { units: 10 }, two.add('Flatten', {}, two.add('Add', {}, [x1, x2]))),
    );
    expect(errors(two.graph())).toMatchObject([
      { code: 'inputCount', nodeId: 'input1' },
      { code: 'inputCount', nodeId: 'input2' },
    ]);
    expect(inferShapes({ nodes: [], edges: [], blocks: [] }).diagnostics).toEqual([]);
  });

  it('an unknown layer type', () => {
    const g = network((b, x) => b.add('Conv3D', {}, x));
    expect(errors(g)).toMatchObject([{ code: 'unknownType', nodeId: 'conv3d1' }]);
  });

  it('every edge carries its tensor shape', () => {
    const g = network((b, x) => b.add('Conv2D', { filters: 4, kernel: 3 }, x));
    const inf = inferShapes(g);
    const conv = g.edges.find((e) => e.source === 'conv2d1')!;
    expect(inf.edges.get(conv.id)).toEqual([4, 26, 26]);
  });

  it('a parameter name a layer or block does not have: at the node, with the one meant', () => {
    const typo = network((b, x) => b.add('Conv2D', { paddding: 1 }, x));
    expect(errors(typo)).toMatchObject([
      {
        code: 'badParams',
        nodeId: 'conv2d1',
        message:
          '`paddding` is not a parameter of Conv2D. Did you mean `padding`? Remove it or correct its name.',
      },
    ]);
    // Inception has no `batchnorm` (its BatchNorm option is `batchNorm`): never silently dropped.
    const block = network((b, x) => b.add('block:inception', { batchnorm: true }, x));
    expect(errors(block)).toMatchObject([
      {
        code: 'badParams',
        nodeId: 'inception1',
        message: expect.stringMatching(/`batchnorm` is not a parameter of Inception/),
      },
    ]);
    const far = network((b, x) => b.add('Dense', { colour: 'red', units: 4 }, x));
    expect(errors(far)[0]!.message).toMatch(/Its parameters are `units`, `bias`, `activation`/);
  });

  it('every unknown parameter of a node is named, with PyTorch and Keras spellings mapped to ours', () => {
    const two = network((b, x) => b.add('Conv2D', { use_bias: false, paddding: 1 }, x));
    expect(errors(two)).toMatchObject([
      {
        code: 'badParams',
        nodeId: 'conv2d1',
        message:
          '`use_bias`, `paddding` are not parameters of Conv2D. Did you mean `bias` for `use_bias`, ' +
          '`padding` for `paddding`? Remove them or correct their names.',
      },
    ]);
    const keras = network((b, x) => b.add('MaxPool2D', { pool_size: 2, strides: 2, ceil_mode: true }, x));
    expect(errors(keras)[0]!.message).toMatch(
      /Did you mean `kernel` for `pool_size`, `stride` for `strides`, `ceilMode` for `ceil_mode`\?/,
    );
    // One with a likely meaning and one without: the hint for the first and the list for the second.
    const mixed = network((b, x) => b.add('Dense', { out_features: 4, colour: 'red' }, x));
    expect(errors(mixed)[0]!.message).toMatch(
      /Did you mean `units` for `out_features`\? Its parameters are `units`, `bias`, `activation`\./,
    );
  });
});
