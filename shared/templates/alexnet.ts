import type { NodeParams } from '../blocks/catalogue.ts';
import type { ChainStep } from '../graph/graph-builder.ts';
import { denseHead, finishNetwork, startNetwork } from './network-builder.ts';
import type { Template } from './template.ts';

export const alexnet: Template = {
  id: 'alexnet',
  title: 'AlexNet',
  description: 'AlexNet as in d2l, for 1×224×224 inputs and 10 classes.',
  input: [1, 224, 224],
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const relu = { activation: 'relu' } as const;
    const pool: ChainStep<NodeParams> = ['MaxPool2D', { kernel: 3, stride: 2 }];
    const y = b.chain(x, [
      ['Conv2D', { filters: 96, kernel: 11, stride: 4, padding: 1, ...relu }],
      pool,
      ['Conv2D', { filters: 256, kernel: 5, padding: 2, ...relu }],
      pool,
      ['Conv2D', { filters: 384, kernel: 3, padding: 1, ...relu }],
      ['Conv2D', { filters: 384, kernel: 3, padding: 1, ...relu }],
      ['Conv2D', { filters: 256, kernel: 3, padding: 1, ...relu }],
      pool,
    ]);
    return finishNetwork(b, denseHead(b, y), classes);
  },
};
