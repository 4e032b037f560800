import { z } from 'zod';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';
import type { LayerParams } from '../layers/registry.ts';
import { defineBlock } from './block-kind.ts';

export const vggBlock = defineBlock({
  ref: 'vgg',
  title: 'VGG block',
  description: 'numConvs × (3×3 conv, padding 1, ReLU), then 2×2 max pooling with stride 2.',
  params: z.object({
    numConvs: z.number().int().min(1).max(16).default(2),
    channels: z.number().int().min(1).max(65536).default(64),
  }),
  expand: ({ numConvs, channels }) => {
    const b = new GraphBuilder<LayerParams>();
    let x = BLOCK_INPUT;
    for (let i = 0; i < numConvs; i++)
      x = b.add('Conv2D', { filters: channels, kernel: 3, padding: 1, activation: 'relu' }, x);
    return b.body(b.add('MaxPool2D', { kernel: 2, stride: 2 }, x));
  },
});
