import type { NodeParams } from '../blocks/catalogue.ts';
import type { ChainStep } from '../graph/graph-builder.ts';
import { finishNetwork, startNetwork } from './network-builder.ts';
import { resnet18Network } from './resnet.ts';
import type { Template } from './template.ts';
import { numbered, withTorchNames } from './torch-names.ts';
import { VGG16_ARCH } from './vgg.ts';

/**
 * The networks as torchvision defines them (bias-free convs, BatchNorm'd shortcuts, its GoogLeNet's
 * BasicConv2d units): the same counts as PyTorch, and its module names, so a torchvision state_dict loads
 * into the exported model.py by name (strict) and imports as a run. Built from built-in blocks only.
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
    const graph = resnet18Network(
      this.input,
      options,
      { bias: false },
      { bias: false, shortcutBatchNorm: true },
    );
    return withTorchNames(graph, {
      Conv2D: ['conv1'],
      BatchNorm: ['bn1'],
      Activation: ['relu'],
      MaxPool2D: ['maxpool'],
      'block:residual': [1, 2, 3, 4].flatMap((stage) =>
        [0, 1].map((i) => ({ name: `layer${stage}.${i}`, inner: BASIC_BLOCK })),
      ),
      GlobalAvgPool: ['avgpool'],
      Dense: ['fc'],
    });
  },
};

/** torchvision's BasicBlock, by the Residual block's inner ids (the projection's conv and BN: downsample). */
const BASIC_BLOCK = {
  conv2d1: 'conv1',
  batchnorm1: 'bn1',
  conv2d2: 'conv2',
  batchnorm2: 'bn2',
  conv2d3: 'downsample.0',
  batchnorm3: 'downsample.1',
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
    return withTorchNames(finishNetwork(b, y, classes), {
      Conv2D: numbered(3, (i) => `conv${i}.conv`),
      BatchNorm: numbered(3, (i) => `conv${i}.bn`),
      MaxPool2D: numbered(4, (i) => `maxpool${i}`),
      'block:inception': ['3a', '3b', '4a', '4b', '4c', '4d', '4e', '5a', '5b'].map((at) => ({
        name: `inception${at}`,
        inner: INCEPTION,
      })),
      GlobalAvgPool: ['avgpool'],
      Dropout: ['dropout'],
      Dense: ['fc'],
    });
  },
};

/** torchvision's Inception, by the block's inner ids: four branches of BasicConv2d units (conv, bn). */
const INCEPTION = {
  conv2d1: 'branch1.conv',
  batchnorm1: 'branch1.bn',
  conv2d2: 'branch2.0.conv',
  batchnorm2: 'branch2.0.bn',
  conv2d3: 'branch2.1.conv',
  batchnorm3: 'branch2.1.bn',
  conv2d4: 'branch3.0.conv',
  batchnorm4: 'branch3.0.bn',
  conv2d5: 'branch3.1.conv',
  batchnorm5: 'branch3.1.bn',
  maxpool2d1: 'branch4.0',
  conv2d6: 'branch4.1.conv',
  batchnorm6: 'branch4.1.bn',
};

export const vgg16Torchvision: Template = {
  id: 'vgg16-torchvision',
  title: 'VGG-16 (torchvision)',
  description:
    'torchvision’s vgg16: 13 convs with ReLU in features, 7×7 adaptive pooling, a classifier of three Dense layers; 138,357,544 parameters at 1000 classes.',
  input: TORCHVISION_INPUT,
  recipe: { ...TORCHVISION_RECIPE, lr: 0.01 },
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const features = VGG16_ARCH.flatMap(([numConvs, filters]): ChainStep<NodeParams>[] => [
      ...Array.from({ length: numConvs }, (): ChainStep<NodeParams> => [
        'Conv2D',
        { filters, kernel: 3, padding: 1, activation: 'relu' },
      ]),
      ['MaxPool2D', { kernel: 2, stride: 2 }],
    ]);
    const y = b.chain(x, [
      ...features,
      ['AdaptiveAvgPool2D', { size: 7 }],
      ['Flatten', {}],
      ['Dense', { units: 4096, activation: 'relu' }],
      ['Dropout', { rate: 0.5 }],
      ['Dense', { units: 4096, activation: 'relu' }],
      ['Dropout', { rate: 0.5 }],
    ]);
    // torchvision's features and classifier are Sequentials: a module's name is its index, ReLUs counted.
    const named: Record<'Conv2D' | 'MaxPool2D', string[]> = { Conv2D: [], MaxPool2D: [] };
    let at = 0;
    for (const [type] of features) {
      named[type as keyof typeof named].push(`features.${at}`);
      at += type === 'Conv2D' ? 2 : 1;
    }
    return withTorchNames(finishNetwork(b, y, classes), {
      ...named,
      AdaptiveAvgPool2D: ['avgpool'],
      Dense: ['classifier.0', 'classifier.3', 'classifier.6'],
      Dropout: ['classifier.2', 'classifier.5'],
    });
  },
};
