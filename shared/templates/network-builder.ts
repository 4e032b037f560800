import type { Graph } from '../graph/document.ts';
import { GraphBuilder, type Source } from '../graph/graph-builder.ts';

/** The start every template shares: a builder and its Input node. */
export function startNetwork([channels, height, width]: readonly [number, number, number]): {
  b: GraphBuilder;
  x: Source;
} {
  const b = new GraphBuilder();
  return { b, x: b.add('Input', { channels, height, width }) };
}

/** The end most templates share: a Dense layer of class scores, then the softmax cross-entropy Output. */
export function finishNetwork(b: GraphBuilder, x: Source, classes = 10): Graph {
  b.chain(x, [['Dense', { units: classes }], ['Output']]);
  return b.graph();
}

/** VGG's and AlexNet's head: Flatten, two 4096-unit ReLU layers with dropout 0.5. */
export function denseHead(b: GraphBuilder, x: Source): Source {
  const fc: [string, Record<string, unknown>][] = [
    ['Dense', { units: 4096, activation: 'relu' }],
    ['Dropout', { rate: 0.5 }],
  ];
  return b.chain(x, [['Flatten', {}], ...fc, ...fc]);
}
