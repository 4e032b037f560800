import { z } from 'zod';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';
import type { LayerParams } from '../layers/registry.ts';
import { defineBlock } from './block-kind.ts';
import { batchNormOptions, bnReluConv } from './conv-unit.ts';

export const transitionBlock = defineBlock({
  ref: 'transition',
  title: 'Transition',
  description:
    'BN-ReLU-1×1 conv to fewer channels (a number, or a share of the input: compression), then 2×2 average pooling with stride 2.',
  params: z.object({
    channels: z.number().int().min(1).max(65536).default(128),
    /** Output channels as a share of the input's (DenseNet's compression 0.5); when set, `channels` is unused. */
    ratio: z.number().gt(0).max(1).nullable().default(null),
    bias: z.boolean().default(true),
    ...batchNormOptions,
  }),
  expand: (p) => {
    const b = new GraphBuilder<LayerParams>();
    const x = bnReluConv(b, BLOCK_INPUT, { filters: p.channels, kernel: 1, filtersRatio: p.ratio }, p);
    return b.body(b.add('AvgPool2D', { kernel: 2, stride: 2 }, x));
  },
});
