import { describe, expect, it } from 'vitest';
import { chainGraph, type LayerSpec } from '../test/graph-kit.ts';
import { findTemplate } from '../templates/catalogue.ts';
import type { Graph } from '../graph/document.ts';
import { inferShapes } from './infer-shapes.ts';
import { receptiveFields, type ReceptiveField } from './receptive-field.ts';

const fieldsOf = (graph: Graph) => receptiveFields(graph, inferShapes(graph));
const template = (id: string) => {
  const graph = findTemplate(id)!.build();
  return { graph, fields: fieldsOf(graph) };
};
const windowed = (size: number, jump: number, start: number): ReceptiveField => ({
  kind: 'window',
  size: [size, size],
  jump: [jump, jump],
  start: [start, start],
});
/** The fields of a chain's nodes after its Input, in order. */
const chainFields = (input: [number, number, number], layers: LayerSpec[]) => {
  const graph = chainGraph(input, layers);
  const { nodes } = fieldsOf(graph);
  return graph.nodes.slice(1).map((n) => nodes.get(n.id));
};

describe('receptive fields', () => {
  it('follows a chain of windows: size, jump and where position 0 is centred', () => {
    // k3 p1: pixels −1…1; a 2×2 pool of stride 2: −1…2; then k3 p1 at jump 2: −3…4.
    expect(
      chainFields(
        [1, 32, 32],
        [
          ['Conv2D', { kernel: 3, padding: 1 }],
          ['Activation', { fn: 'relu' }],
          ['MaxPool2D', { kernel: 2 }],
          ['Conv2D', { kernel: 3, padding: 1 }],
        ],
      ),
    ).toEqual([windowed(3, 1, 0), windowed(3, 1, 0), windowed(4, 2, 0.5), windowed(8, 2, 0.5)]);
  });

  it('widens by dilation, shifts by zero padding, and sees the whole input after Flatten and Dense', () => {
    expect(
      chainFields(
        [1, 32, 32],
        [
          ['ZeroPadding2D', { padding: 2 }],
          ['Conv2D', { kernel: 3, dilation: 2 }],
          ['Flatten'],
          ['Dense', { units: 10 }],
        ],
      ),
    ).toEqual([windowed(1, 1, -2), windowed(5, 1, 0), { kind: 'whole' }, { kind: 'whole' }]);
  });

  it('gives VGG-11’s blocks 4, 10, 30, 70 and 150 pixels, at jumps of 2 to 32', () => {
    const { graph, fields } = template('vgg11');
    const blocks = graph.nodes.filter((n) => n.type === 'block:vgg').map((n) => fields.nodes.get(n.id));
    expect(blocks).toEqual([
      windowed(4, 2, 0.5),
      windowed(10, 4, 1.5),
      windowed(30, 8, 3.5),
      windowed(70, 16, 7.5),
      windowed(150, 32, 15.5),
    ]);
  });

  it('gives AlexNet 195 pixels at its last pooling', () => {
    const { graph, fields } = template('alexnet');
    const pools = graph.nodes.filter((n) => n.type === 'MaxPool2D').map((n) => fields.nodes.get(n.id));
    expect(pools).toEqual([windowed(19, 8, 8), windowed(67, 16, 16), windowed(195, 32, 32)]);
  });

  it('gives ResNet-18 435 pixels at its last stage, the extent over the block and its shortcut', () => {
    const { graph, fields } = template('resnet18');
    const blocks = graph.nodes.filter((n) => n.type === 'block:residual');
    const sizes = blocks.map((n) => fields.nodes.get(n.id)).map((f) => f?.kind === 'window' && f.size[0]);
    expect(sizes).toEqual([27, 43, 67, 99, 147, 211, 307, 435]);
    // On its 96×96 input the field covers the image by the second stage, with ten windowed layers to go.
    expect(fields.notes).toEqual([
      {
        severity: 'warning',
        code: 'receptiveField',
        nodeId: blocks[3]!.id,
        message: expect.stringMatching(/covers the whole 96×96 input here, and \d+ windowed layers follow/),
      },
    ]);
  });

  it('takes the widest branch of an Inception, and the new features of a dense block', () => {
    const [inception] = chainFields([3, 96, 96], [['block:inception', {}]]);
    expect(inception).toEqual(windowed(5, 1, 0));
    const [dense] = chainFields([3, 96, 96], [['block:dense', { numConvs: 3, growthRate: 12 }]]);
    expect(dense).toEqual(windowed(7, 1, 0));
  });

  it('says when the head sees less than half the image', () => {
    const graph = chainGraph(
      [1, 64, 64],
      [['Conv2D', { kernel: 3, padding: 1 }], ['GlobalAvgPool'], ['Dense', { units: 10 }], ['Output']],
    );
    expect(fieldsOf(graph).notes).toEqual([
      {
        severity: 'warning',
        code: 'receptiveField',
        nodeId: graph.nodes[1]!.id,
        message: expect.stringMatching(/^At the head the receptive field is 3×3 of the 64×64 input/),
      },
    ]);
  });
});
