import type { NodeParams } from '../blocks/catalogue.ts';
import type { ChainStep } from '../graph/graph-builder.ts';
import { finishNetwork, startNetwork } from './network-builder.ts';
import type { Template } from './template.ts';

type Inception = [c1: number, c2: [number, number], c3: [number, number], c4: number];

const inception = ([c1, [c2Reduce, c2], [c3Reduce, c3], c4]: Inception): ChainStep<NodeParams> => [
  'block:inception',
  { c1, c2Reduce, c2, c3Reduce, c3, c4 },
];

export const googlenet: Template = {
  id: 'googlenet',
  title: 'GoogLeNet',
  description: 'GoogLeNet as in d2l: five stages, nine Inception blocks, for 1×96×96 inputs.',
  input: [1, 96, 96],
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const pool: ChainStep<NodeParams> = ['MaxPool2D', { kernel: 3, stride: 2, padding: 1 }];
    const y = b.chain(x, [
      ['Conv2D', { filters: 64, kernel: 7, stride: 2, padding: 3, activation: 'relu' }],
      pool,
      ['Conv2D', { filters: 64, kernel: 1, activation: 'relu' }],
      ['Conv2D', { filters: 192, kernel: 3, padding: 1, activation: 'relu' }],
      pool,
      inception([64, [96, 128], [16, 32], 32]),
      inception([128, [128, 192], [32, 96], 64]),
      pool,
      inception([192, [96, 208], [16, 48], 64]),
      inception([160, [112, 224], [24, 64], 64]),
      inception([128, [128, 256], [24, 64], 64]),
      inception([112, [144, 288], [32, 64], 64]),
      inception([256, [160, 320], [32, 128], 128]),
      pool,
      inception([256, [160, 320], [32, 128], 128]),
      inception([384, [192, 384], [48, 128], 128]),
      ['GlobalAvgPool', {}],
    ]);
    return finishNetwork(b, y, classes);
  },
};
