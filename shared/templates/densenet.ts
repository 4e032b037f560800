import { finishNetwork, imageNetStem, startNetwork } from './network-builder.ts';
import type { Template } from './template.ts';

/** torchvision's DenseNet-121: growth 32, blocks of 6-12-24-16 bottleneck layers, halving transitions, bias-free convs. */
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
    return finishNetwork(b, y, classes);
  },
};
