import type { NodeParams } from '../blocks/catalogue.ts';
import type { ChainStep } from '../graph/graph-builder.ts';
import { finishNetwork, startNetwork } from './network-builder.ts';
import { resnet18Network } from './resnet.ts';
import type { Template } from './template.ts';

/**
 * The networks as torchvision defines them (bias-free convs, BatchNorm'd shortcuts, its GoogLeNet's
 * BasicConv2d units): the same counts as PyTorch, so weights port one to one. Built from built-in blocks only.
 */

const TORCHVISION_INPUT: [number, number, number] = [3, 224, 224];
const TORCHVISION_RECIPE = {
  epochs: 90,
  batchSize: 256,
  lr: 0.1,
  optimizer: { kind: 'sgd' as const, momentum: 0.9, weightDecay: 1e-4 },
};

export const resnet18Torchvision: Template = {
  id: 'resnet18-torchvision',
  title: 'ResNet-18 (torchvision)',
  description:
    'torchvision’s resnet18: bias-free convs, BatchNorm on the projection shortcuts; 11,689,512 parameters at 1000 classes.',
  input: TORCHVISION_INPUT,
  recipe: TORCHVISION_RECIPE,
  build(options) {
    return resnet18Network(this.input, options, { bias: false }, { bias: false, shortcutBatchNorm: true });
  },
};

type Inception = [c1: number, c2: [number, number], c3: [number, number], c4: number];

/** torchvision's Inception: BasicConv2d units (bias-free conv, BatchNorm eps 0.001, ReLU), 3×3 third branch. */
const inception = ([c1, [c2Reduce, c2], [c3Reduce, c3], c4]: Inception): ChainStep<NodeParams> => [
  'block:inception',
  { c1, c2Reduce, c2, c3Reduce, c3, c4, branch3Kernel: 3, batchNorm: true, eps: 0.001 },
];

export const googlenetTorchvision: Template = {
  id: 'googlenet-torchvision',
  title: 'GoogLeNet (torchvision)',
  description:
    'torchvision’s googlenet without the auxiliary heads: BatchNorm’d units, ceil-mode pooling, dropout 0.2; 6,624,904 parameters at 1000 classes.',
  input: TORCHVISION_INPUT,
  recipe: TORCHVISION_RECIPE,
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const conv = (
      filters: number,
      kernel: number,
      extra: NodeParams['Conv2D'] = {},
    ): ChainStep<NodeParams>[] => [
      ['Conv2D', { filters, kernel, padding: kernel >> 1, bias: false, ...extra }],
      ['BatchNorm', { eps: 0.001 }],
      ['Activation', { fn: 'relu' }],
    ];
    const pool = (kernel: number): ChainStep<NodeParams> => [
      'MaxPool2D',
      { kernel, stride: 2, ceilMode: true },
    ];
    const y = b.chain(x, [
      ...conv(64, 7, { stride: 2 }),
      pool(3),
      ...conv(64, 1),
      ...conv(192, 3),
      pool(3),
      inception([64, [96, 128], [16, 32], 32]),
      inception([128, [128, 192], [32, 96], 64]),
      pool(3),
      inception([192, [96, 208], [16, 48], 64]),
      inception([160, [112, 224], [24, 64], 64]),
      inception([128, [128, 256], [24, 64], 64]),
      inception([112, [144, 288], [32, 64], 64]),
      inception([256, [160, 320], [32, 128], 128]),
      pool(2),
      inception([256, [160, 320], [32, 128], 128]),
      inception([384, [192, 384], [48, 128], 128]),
      ['GlobalAvgPool', {}],
      ['Dropout', { rate: 0.2 }],
    ]);
    return finishNetwork(b, y, classes);
  },
};
