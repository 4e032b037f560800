import type { NodeParams } from '../blocks/catalogue.ts';
import type { ChainStep } from '../graph/graph-builder.ts';
import type { Template } from './template.ts';
import { startNetwork } from './network-builder.ts';

export const nin: Template = {
  id: 'nin',
  title: 'NiN',
  description:
    'Network in Network as in d2l: four NiN blocks, the last with one channel per class, then global average pooling.',
  input: [1, 224, 224],
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const pool: ChainStep<NodeParams> = ['MaxPool2D', { kernel: 3, stride: 2 }];
    b.chain(x, [
      ['block:nin', { channels: 96, kernel: 11, stride: 4, padding: 0 }],
      pool,
      ['block:nin', { channels: 256, kernel: 5, stride: 1, padding: 2 }],
      pool,
      ['block:nin', { channels: 384, kernel: 3, stride: 1, padding: 1 }],
      pool,
      ['Dropout', { rate: 0.5 }],
      ['block:nin', { channels: classes, kernel: 3, stride: 1, padding: 1 }],
      ['GlobalAvgPool', {}],
      ['Output', {}],
    ]);
    return b.graph();
  },
};
