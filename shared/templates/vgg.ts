import type { Graph } from '../graph/document.ts';
import { denseHead, finishNetwork, startNetwork, type NetworkOptions } from './network-builder.ts';
import type { Template } from './template.ts';

/** (number of convs, channels) per VGG block, as d2l's conv_arch. */
export type ConvArch = readonly (readonly [number, number])[];

export const VGG11_ARCH: ConvArch = [
  [1, 64],
  [1, 128],
  [2, 256],
  [2, 512],
  [2, 512],
];
export const VGG16_ARCH: ConvArch = [
  [2, 64],
  [2, 128],
  [3, 256],
  [3, 512],
  [3, 512],
];
const VGG19_ARCH: ConvArch = [
  [2, 64],
  [2, 128],
  [4, 256],
  [4, 512],
  [4, 512],
];

/** VGG as d2l writes it: the blocks, Flatten, two Dense 4096 + ReLU + Dropout 0.5, Dense 10. */
export function vggNetwork(
  arch: ConvArch,
  input: readonly [number, number, number],
  options: NetworkOptions = {},
): Graph {
  const { b, x, classes } = startNetwork(input, options);
  const y = arch.reduce((src, [numConvs, channels]) => b.add('block:vgg', { numConvs, channels }, src), x);
  return finishNetwork(b, denseHead(b, y), classes);
}

const vgg = (id: string, title: string, arch: ConvArch, description: string): Template => ({
  id,
  title,
  description,
  input: [1, 224, 224],
  build(options) {
    return vggNetwork(arch, this.input, options);
  },
});

export const vgg11 = vgg(
  'vgg11',
  'VGG-11',
  VGG11_ARCH,
  'VGG-11: 8 convs in 5 VGG blocks, then three Dense layers.',
);
export const vgg16 = vgg(
  'vgg16',
  'VGG-16',
  VGG16_ARCH,
  'VGG-16: 13 convs in 5 VGG blocks, then three Dense layers.',
);
export const vgg19 = vgg(
  'vgg19',
  'VGG-19',
  VGG19_ARCH,
  'VGG-19: 16 convs in 5 VGG blocks, then three Dense layers.',
);
export const vgg11Small = vgg(
  'vgg11-small',
  'VGG-11 small',
  VGG11_ARCH.map(([n, c]) => [n, c / 4] as const),
  'VGG-11 with a quarter of the channels, as d2l trains it on Fashion-MNIST.',
);

export const vggMini: Template = {
  id: 'vgg-mini',
  title: 'VGG-mini',
  description: 'A small VGG for 28×28 Fashion-MNIST: blocks (1,16), (1,32), (2,64), Dense 256, Dropout 0.5.',
  input: [1, 28, 28],
  recipe: {
    epochs: 10,
    batchSize: 128,
    lr: 0.05,
    optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
    schedule: { kind: 'cosine' },
  },
  build(options) {
    const { b, x, classes } = startNetwork(this.input, options);
    const arch: ConvArch = [
      [1, 16],
      [1, 32],
      [2, 64],
    ];
    const blocks = arch.reduce(
      (src, [numConvs, channels]) => b.add('block:vgg', { numConvs, channels }, src),
      x,
    );
    const y = b.chain(blocks, [
      ['Flatten', {}],
      ['Dense', { units: 256, activation: 'relu' }],
      ['Dropout', { rate: 0.5 }],
    ]);
    return finishNetwork(b, y, classes);
  },
};
