import type { Graph } from '../graph/document.ts';
import type { NodeParams } from '../blocks/catalogue.ts';
import { GraphBuilder, type ChainStep, type Source } from '../graph/graph-builder.ts';

/** The builder templates write with: every node type and parameter checked by the compiler. */
export type NetworkBuilder = GraphBuilder<NodeParams>;

/** What every template lets its user choose: the classes it scores and the channels it reads. */
export interface NetworkOptions {
  /** 10 by default (Fashion-MNIST); 1000 for ImageNet-style networks. */
  classes?: number;
  /** The template's own by default (1: grey); 3 for colour images. */
  channels?: number;
}

/** The start every template shares: a builder, its Input node, and the number of classes to end with. */
export function startNetwork(
  [channels, height, width]: readonly [number, number, number],
  options: NetworkOptions = {},
): { b: NetworkBuilder; x: Source; classes: number } {
  const b = new GraphBuilder<NodeParams>();
  const x = b.add('Input', { channels: options.channels ?? channels, height, width });
  return { b, x, classes: options.classes ?? 10 };
}

/** The end most templates share: a Dense layer of class scores, then the softmax cross-entropy Output. */
export function finishNetwork(b: NetworkBuilder, x: Source, classes: number): Graph {
  b.chain(x, [['Dense', { units: classes }], ['Output']]);
  return b.graph();
}

/**
 * The ImageNet stem ResNet and DenseNet share: a 7×7 conv of 64 filters with stride 2, BatchNorm, ReLU,
 * and 3×3 max pooling with stride 2 (a quarter of the input's size). `bias`: torchvision's convs have none.
 */
export function imageNetStem(b: NetworkBuilder, x: Source, bias: boolean): Source {
  return b.chain(x, [
    ['Conv2D', { filters: 64, kernel: 7, stride: 2, padding: 3, ...(bias ? {} : { bias: false }) }],
    ['BatchNorm', {}],
    ['Activation', { fn: 'relu' }],
    ['MaxPool2D', { kernel: 3, stride: 2, padding: 1 }],
  ]);
}

/** VGG's and AlexNet's head: Flatten, two 4096-unit ReLU layers with dropout 0.5. */
export function denseHead(b: NetworkBuilder, x: Source): Source {
  const fc: ChainStep<NodeParams>[] = [
    ['Dense', { units: 4096, activation: 'relu' }],
    ['Dropout', { rate: 0.5 }],
  ];
  return b.chain(x, [['Flatten', {}], ...fc, ...fc]);
}
