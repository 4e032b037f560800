import { z } from 'zod';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';
import { defineBlock } from './block-kind.ts';

export const residualBlock = defineBlock({
  ref: 'residual',
  title: 'Residual',
  description:
    '3×3 conv-BN-ReLU, 3×3 conv-BN, plus the input (through a 1×1 conv when the shape changes), then ReLU.',
  params: z.object({
    channels: z.number().int().min(1).max(65536).default(64),
    stride: z.union([z.literal(1), z.literal(2)]).default(1),
    /** A 1×1 conv on the shortcut: needed when stride is 2 or the channel count changes. */
    projection: z.boolean().default(false),
    /** Bias-free convs, as torchvision writes them (BN makes the bias redundant). */
    bias: z.boolean().default(true),
  }),
  expand: ({ channels, stride, projection, bias }) => {
    const b = new GraphBuilder();
    const conv = { filters: channels, kernel: 3, padding: 1, bias };
    const main = b.chain(BLOCK_INPUT, [
      ['Conv2D', { ...conv, stride }],
      ['BatchNorm', {}],
      ['Activation', { fn: 'relu' }],
      ['Conv2D', conv],
      ['BatchNorm', {}],
    ]);
    const shortcut = projection
      ? b.add('Conv2D', { filters: channels, kernel: 1, stride, bias }, BLOCK_INPUT)
      : BLOCK_INPUT;
    const sum = b.add('Add', { inputs: 2 }, [main, shortcut]);
    return b.body(b.add('Activation', { fn: 'relu' }, sum));
  },
});
