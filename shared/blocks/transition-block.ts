import { z } from 'zod';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';
import { defineBlock } from './block-kind.ts';
import { bnReluConv } from './conv-unit.ts';

export const transitionBlock = defineBlock({
  ref: 'transition',
  title: 'Transition',
  description: 'BN-ReLU-1×1 conv to fewer channels, then 2×2 average pooling with stride 2.',
  params: z.object({
    channels: z.number().int().min(1).max(65536).default(128),
    bias: z.boolean().default(true),
  }),
  expand: ({ channels, bias }) => {
    const b = new GraphBuilder();
    const x = bnReluConv(b, BLOCK_INPUT, { filters: channels, kernel: 1 }, bias);
    return b.body(b.add('AvgPool2D', { kernel: 2, stride: 2 }, x));
  },
});
