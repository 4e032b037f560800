import { finishNetwork, imageNetStem, startNetwork } from './network-builder.ts';
import type { Template } from './template.ts';
import { numbered, withTorchNames } from './torch-names.ts';

/**
 * torchvision's DenseNet-121: growth 32, blocks of 6-12-24-16 bottleneck layers, halving transitions, bias-free
 * convs, and torchvision's module names (features.denseblock1.denselayer1.norm1, …), so its weights load by name.
 */
export const densenet121: Template = {
  id: 'densenet121',
  title: 'DenseNet-121',
  description:
    'DenseNet-121 (growth 32, blocks 6-12-24-16, bottleneck layers, compression 0.5) for 1×224×224.',
  input: [1, 224, 224],
  build(options) {
    const growthRate = 32;
    const { b, x, classes } = startNetwork(this.input, options);
    let y = imageNetStem(b, x, false);
    const layers = [6, 12, 24, 16];
    for (const [i, numConvs] of layers.entries()) {
      y = b.add('block:dense', { numConvs, growthRate, bottleneck: true, bias: false }, y);
      // Compression 0.5: each transition halves whatever channels reach it.
      if (i < layers.length - 1) y = b.add('block:transition', { ratio: 0.5, bias: false }, y);
    }
    y = b.chain(y, [
      ['BatchNorm', {}],
      ['Activation', { fn: 'relu' }],
      ['GlobalAvgPool', {}],
    ]);
    return withTorchNames(finishNetwork(b, y, classes), {
      Conv2D: ['features.conv0'],
      BatchNorm: ['features.norm0', 'features.norm5'],
      MaxPool2D: ['features.pool0'],
      'block:dense': layers.map((n, i) => ({ name: `features.denseblock${i + 1}`, inner: denseLayers(n) })),
      'block:transition': numbered(3, (i) => ({ name: `features.transition${i}`, inner: TRANSITION })),
      Dense: ['classifier'],
    });
  },
};

/** torchvision's _DenseLayers by the Dense block's inner ids: each has two BN-ReLU-conv units. */
function denseLayers(n: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: n }, (_, i) => {
      const layer = `denselayer${i + 1}`;
      const [first, second] = [2 * i + 1, 2 * i + 2];
      return [
        [`batchnorm${first}`, `${layer}.norm1`],
        [`conv2d${first}`, `${layer}.conv1`],
        [`batchnorm${second}`, `${layer}.norm2`],
        [`conv2d${second}`, `${layer}.conv2`],
      ];
    }).flat(),
  );
}

const TRANSITION = { batchnorm1: 'norm', conv2d1: 'conv', avgpool2d1: 'pool' };

/** A small DenseNet for 28×28 images, the concatenation-heavy peer of ResNet-mini in the benchmark. */
export const densenetMini: Template = {
  id: 'densenet-mini',
  title: 'DenseNet-mini',
  description:
    'A small DenseNet for 28×28 Fashion-MNIST: a 3×3 stem of 32, two dense blocks of 4 convs (growth 16) with a halving transition, BN-ReLU, global pooling.',
  input: [1, 28, 28],
  recipe: { epochs: 10, batchSize: 128, lr: 0.05, optimizer: { kind: 'sgd', momentum: 0.9 } },
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const y = b.chain(x, [
      ['Conv2D', { filters: 32, kernel: 3, padding: 1 }],
      ['BatchNorm', {}],
      ['Activation', { fn: 'relu' }],
      ['block:dense', { numConvs: 4, growthRate: 16 }],
      ['block:transition', { ratio: 0.5 }],
      ['block:dense', { numConvs: 4, growthRate: 16 }],
      ['BatchNorm', {}],
      ['Activation', { fn: 'relu' }],
      ['GlobalAvgPool', {}],
    ]);
    return finishNetwork(b, y, classes);
  },
};
