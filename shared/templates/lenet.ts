import { finishNetwork, startNetwork } from './network-builder.ts';
import type { Template } from './template.ts';

export const lenet: Template = {
  id: 'lenet',
  title: 'LeNet',
  description: 'LeNet-5 as in d2l: sigmoid, 2×2 average pooling; 61,706 parameters.',
  input: [1, 28, 28],
  // d2l's: SGD at 0.9 with Xavier initialisation; sigmoid networks barely move at PyTorch's default init.
  recipe: { epochs: 10, batchSize: 256, lr: 0.9, init: 'xavier', optimizer: { kind: 'sgd' } },
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const sig = { activation: 'sigmoid' } as const;
    const y = b.chain(x, [
      ['Conv2D', { filters: 6, kernel: 5, padding: 2, ...sig }],
      ['AvgPool2D', { kernel: 2, stride: 2 }],
      ['Conv2D', { filters: 16, kernel: 5, ...sig }],
      ['AvgPool2D', { kernel: 2, stride: 2 }],
      ['Flatten', {}],
      ['Dense', { units: 120, ...sig }],
      ['Dense', { units: 84, ...sig }],
    ]);
    return finishNetwork(b, y, classes);
  },
};
