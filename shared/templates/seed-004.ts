import type { NodeParams } from '../blocks/catalogue.ts';
import type { ChainStep } from '../graph/graph-builder.ts';
import { finishNetwork, imageNetStem, startNetwork } from './network-builder.ts';
import type { Template } from './template.ts';

/**
 * The 004 article's networks, each from its code as written, for CIFAR-10 (3 colour channels, 10 classes)
 * with its data transform (x / 255 − 0.5) / 0.5 and its training (SGD, batches of 64, 20 epochs).
 */
const articleRecipe = (lr: number) => ({
  epochs: 20,
  batchSize: 64,
  lr,
  optimizer: { kind: 'sgd' as const },
  preprocess: { normalize: [0.5, 0.5] as [number, number] },
});

/** Its residual_block(in, out, same_shape): bias-free 3×3 convs, a ReLU before the add, a 1×1 projection with a bias. */
const residualBlock = (channels: number, sameShape: boolean): NodeParams['block:residual'] => ({
  channels,
  bias: false,
  shortcutBias: true,
  reluBeforeAdd: true,
  ...(sameShape ? {} : { stride: 2, projection: true }),
});

export const alexnet004: Template = {
  id: 'alexnet-004',
  title: 'AlexNet (004, CIFAR-10)',
  description:
    "The 004 article's small AlexNet for 3×32×32: conv 64 k5, max 3/2, conv 64 k5, max 3/2, then 1024→384→192→10.",
  input: [3, 32, 32],
  recipe: articleRecipe(0.1),
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const y = b.chain(x, [
      ['Conv2D', { filters: 64, kernel: 5, activation: 'relu' }],
      ['MaxPool2D', { kernel: 3, stride: 2 }],
      ['Conv2D', { filters: 64, kernel: 5, activation: 'relu' }],
      ['MaxPool2D', { kernel: 3, stride: 2 }],
      ['Flatten', {}],
      ['Dense', { units: 384, activation: 'relu' }],
      ['Dense', { units: 192, activation: 'relu' }],
    ]);
    return finishNetwork(b, y, classes);
  },
};

/** Its vgg_stack((1, 1, 2, 2, 2), ((3, 64), (64, 128), (128, 256), (256, 512), (512, 512))): (convs, out channels). */
const VGG_STACK = [
  [1, 64],
  [1, 128],
  [2, 256],
  [2, 512],
  [2, 512],
] as const;

export const vgg004: Template = {
  id: 'vgg-004',
  title: 'VGG (004, CIFAR-10)',
  description:
    "The 004 article's vgg on 3×32×32: vgg_stack (1, 1, 2, 2, 2) with 64-128-256-512-512 channels (3×3 convs, ReLU, 2×2 max pooling) to 512×1×1, then 512→100→10.",
  input: [3, 32, 32],
  recipe: articleRecipe(0.1),
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const y = b.chain(x, [
      ...VGG_STACK.map(([numConvs, channels]): ChainStep<NodeParams> => [
        'block:vgg',
        { numConvs, channels },
      ]),
      ['Flatten', {}],
      ['Dense', { units: 100, activation: 'relu' }],
    ]);
    return finishNetwork(b, y, classes);
  },
};

export const resnet004: Template = {
  id: 'resnet-004',
  title: 'ResNet (004, CIFAR-10)',
  description:
    "The 004 article's resnet(3, 10) on 3×96×96: a 7×7 conv with stride 2, max 3/2, four stages of two residual_blocks (ReLU before the add), 3×3 average pooling.",
  input: [3, 96, 96],
  recipe: articleRecipe(0.01),
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    let y = b.chain(x, [
      ['Conv2D', { filters: 64, kernel: 7, stride: 2 }],
      ['MaxPool2D', { kernel: 3, stride: 2 }],
    ]);
    for (const [i, channels] of [64, 128, 256, 512].entries())
      y = b.chain(y, [
        ['block:residual', residualBlock(channels, i === 0)],
        ['block:residual', residualBlock(channels, true)],
      ]);
    return finishNetwork(
      b,
      b.chain(y, [
        ['AvgPool2D', { kernel: 3 }],
        ['Flatten', {}],
      ]),
      classes,
    );
  },
};

/** Its conv_relu(in, out, kernel, stride, padding): a conv with its bias, BatchNorm (eps 1e-3), ReLU. */
const convRelu = (filters: number, kernel: number, stride = 1, padding = 0): ChainStep<NodeParams>[] => [
  ['Conv2D', { filters, kernel, stride, padding }],
  ['BatchNorm', { eps: 1e-3 }],
  ['Activation', { fn: 'relu' }],
];

/** Its inception(in, out1_1, out2_1, out2_3, out3_1, out3_5, out4_1), made of conv_relu units. */
const inception = (
  c1: number,
  c2Reduce: number,
  c2: number,
  c3Reduce: number,
  c3: number,
  c4: number,
): ChainStep<NodeParams> => [
  'block:inception',
  { c1, c2Reduce, c2, c3Reduce, c3, c4, batchNorm: true, bias: true, eps: 1e-3 },
];

const maxPool: ChainStep<NodeParams> = ['MaxPool2D', { kernel: 3, stride: 2 }];

export const googlenet004: Template = {
  id: 'googlenet-004',
  title: 'GoogLeNet (004, CIFAR-10)',
  description:
    "The 004 article's googlenet(3, 10) on 3×96×96: conv_relu units (conv, BatchNorm eps 1e-3, ReLU), nine Inceptions as written (block 5's second takes 182 channels to its 3×3 branch), 2×2 average pooling.",
  input: [3, 96, 96],
  recipe: articleRecipe(0.01),
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const y = b.chain(x, [
      ...convRelu(64, 7, 2, 3),
      maxPool,
      ...convRelu(64, 1),
      ...convRelu(192, 3, 1, 1),
      maxPool,
      inception(64, 96, 128, 16, 32, 32),
      inception(128, 128, 192, 32, 96, 64),
      maxPool,
      inception(192, 96, 208, 16, 48, 64),
      inception(160, 112, 224, 24, 64, 64),
      inception(128, 128, 256, 24, 64, 64),
      inception(112, 144, 288, 32, 64, 64),
      inception(256, 160, 320, 32, 128, 128),
      maxPool,
      inception(256, 160, 320, 32, 128, 128),
      inception(384, 182, 384, 48, 128, 128),
      ['AvgPool2D', { kernel: 2 }],
      ['Flatten', {}],
    ]);
    return finishNetwork(b, y, classes);
  },
};

export const densenet004: Template = {
  id: 'densenet-004',
  title: 'DenseNet (004, CIFAR-10)',
  description:
    "The 004 article's densenet(3, 10) on 3×96×96: a 7×7 conv with its bias, BatchNorm, ReLU, max 3/2; dense_blocks of 6, 12, 24, 16 conv_blocks (growth 32, new features concatenated first), each but the last followed by a transition halving the channels; BatchNorm, ReLU, 3×3 average pooling.",
  input: [3, 96, 96],
  recipe: articleRecipe(0.01),
  build(options) {
    const growthRate = 32;
    const { b, x, classes } = startNetwork(this.input, options);
    let y = imageNetStem(b, x, true);
    let channels = 64;
    const blockLayers = [6, 12, 24, 16];
    for (const [i, numConvs] of blockLayers.entries()) {
      // conv_block: BatchNorm, ReLU, a bias-free 3×3 conv; torch.cat((out, x)) puts the new features first.
      y = b.add('block:dense', { numConvs, growthRate, bias: false, concatOrder: 'newFirst' }, y);
      channels += numConvs * growthRate;
      if (i === blockLayers.length - 1) break;
      // transition(channels, channels // 2): BatchNorm, ReLU, a 1×1 conv with its bias, 2×2 average pooling.
      channels = Math.floor(channels / 2);
      y = b.add('block:transition', { channels }, y);
    }
    y = b.chain(y, [
      ['BatchNorm', {}],
      ['Activation', { fn: 'relu' }],
      ['AvgPool2D', { kernel: 3 }],
      ['Flatten', {}],
    ]);
    return finishNetwork(b, y, classes);
  },
};
