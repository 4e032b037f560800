import type { NodeParams } from '../blocks/catalogue.ts';
import type { Graph } from '../graph/document.ts';
import { finishNetwork, imageNetStem, startNetwork, type NetworkOptions } from './network-builder.ts';
import type { Template } from './template.ts';

/**
 * ResNet-18's body on its stem: four stages of two Residual blocks (64, 128, 256, 512 channels, each stage
 * after the first halving the size through a projection), then global average pooling and the classes.
 * `unit`: what every Residual block adds (torchvision's bias-free convs and BatchNorm'd shortcuts).
 */
export function resnet18Network(
  input: readonly [number, number, number],
  options: NetworkOptions = {},
  stem: { bias: boolean },
  unit: NodeParams['block:residual'] = {},
): Graph {
  const { b, x, classes } = startNetwork(input, options);
  let y = imageNetStem(b, x, stem.bias);
  for (const [i, channels] of [64, 128, 256, 512].entries()) {
    const first = i === 0 ? { channels } : { channels, stride: 2 as const, projection: true };
    y = b.chain(y, [
      ['block:residual', { ...first, ...unit }],
      ['block:residual', { channels, ...unit }],
    ]);
  }
  return finishNetwork(b, b.add('GlobalAvgPool', {}, y), classes);
}

export const resnet18: Template = {
  id: 'resnet18',
  title: 'ResNet-18',
  description: 'ResNet-18 as in d2l: a 7×7 stem, four stages of two Residual blocks, global average pooling.',
  input: [1, 96, 96],
  build(options) {
    return resnet18Network(this.input, options, { bias: true });
  },
};

export const resnetMini: Template = {
  id: 'resnet-mini',
  title: 'ResNet-mini',
  description:
    'A small ResNet for 28×28 Fashion-MNIST: a 3×3 stem and Residual blocks of 16, 32 and 64 channels.',
  input: [1, 28, 28],
  recipe: { epochs: 10, batchSize: 128, lr: 0.05, optimizer: { kind: 'sgd', momentum: 0.9 } },
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const y = b.chain(x, [
      ['Conv2D', { filters: 16, kernel: 3, padding: 1 }],
      ['BatchNorm', {}],
      ['Activation', { fn: 'relu' }],
      ['block:residual', { channels: 16 }],
      ['block:residual', { channels: 32, stride: 2, projection: true }],
      ['block:residual', { channels: 64, stride: 2, projection: true }],
      ['GlobalAvgPool', {}],
    ]);
    return finishNetwork(b, y, classes);
  },
};
