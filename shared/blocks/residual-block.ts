import { z } from 'zod';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';
import type { LayerParams } from '../layers/registry.ts';
import { defineBlock } from './block-kind.ts';
import { batchNormLayer, batchNormOptions } from './conv-unit.ts';

export const residualBlock = defineBlock({
  ref: 'residual',
  title: 'Residual',
  description:
    '3×3 conv-BN-ReLU, 3×3 conv-BN (-ReLU, optionally), plus the input (through a 1×1 conv when the shape changes), then ReLU.',
  params: z.object({
    channels: z.number().int().min(1).max(65536).default(64),
    stride: z.union([z.literal(1), z.literal(2)]).default(1),
    /** A 1×1 conv on the shortcut: needed when stride is 2 or the channel count changes. */
    projection: z.boolean().default(false),
    /** Bias-free convs, as torchvision writes them (BN makes the bias redundant). */
    bias: z.boolean().default(true),
    /** BatchNorm after the shortcut's 1×1 conv: torchvision's downsample. */
    shortcutBatchNorm: z.boolean().default(false),
    /** The shortcut conv's bias, apart from the main path's; by default the same as `bias`. */
    shortcutBias: z.boolean().optional(),
    /** A ReLU after the second BatchNorm, before the add, as the 004 article's residual_block has it. */
    reluBeforeAdd: z.boolean().default(false),
    ...batchNormOptions,
  }),
  expand: (p) => {
    const b = new GraphBuilder<LayerParams>();
    const conv = { filters: p.channels, kernel: 3, padding: 1, bias: p.bias };
    const bn = batchNormLayer(p);
    const main = b.chain(BLOCK_INPUT, [
      ['Conv2D', { ...conv, stride: p.stride }],
      bn,
      ['Activation', { fn: 'relu' }],
      ['Conv2D', conv],
      bn,
      ...(p.reluBeforeAdd ? [['Activation', { fn: 'relu' }] as const] : []),
    ]);
    const projection = { filters: p.channels, kernel: 1, stride: p.stride, bias: p.shortcutBias ?? p.bias };
    const shortcut = !p.projection
      ? BLOCK_INPUT
      : b.chain(BLOCK_INPUT, [['Conv2D', projection], ...(p.shortcutBatchNorm ? [bn] : [])]);
    const sum = b.add('Add', { inputs: 2 }, [main, shortcut]);
    return b.body(b.add('Activation', { fn: 'relu' }, sum));
  },
});
