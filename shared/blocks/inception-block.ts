import { z } from 'zod';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';
import type { LayerParams } from '../layers/registry.ts';
import { defineBlock } from './block-kind.ts';
import { batchNormOptions, convRelu } from './conv-unit.ts';

const channels = z.number().int().min(1).max(65536);

export const inceptionBlock = defineBlock({
  ref: 'inception',
  title: 'Inception',
  description:
    'Four branches, concatenated: 1×1 | 1×1→3×3 | 1×1→k×k (5×5 in d2l, 3×3 in torchvision) | 3×3 max pool→1×1.',
  params: z.object({
    c1: channels.default(64),
    c2Reduce: channels.default(96),
    c2: channels.default(128),
    c3Reduce: channels.default(16),
    c3: channels.default(32),
    c4: channels.default(32),
    /** The third branch's kernel: d2l's 5, torchvision's 3. */
    branch3Kernel: z.union([z.literal(3), z.literal(5)]).default(5),
    batchNorm: z.boolean().default(false),
    /** The convs' bias when batchNorm is on (the 004 article keeps it); off by default, as BN cancels it. */
    bias: z.boolean().default(false),
    ...batchNormOptions,
  }),
  expand: (p) => {
    const b = new GraphBuilder<LayerParams>();
    const bn = p.batchNorm ? { eps: p.eps, momentum: p.momentum, bias: p.bias } : null;
    const unit = (from: typeof BLOCK_INPUT, filters: number, kernel: number) =>
      convRelu(b, from, { filters, kernel, padding: kernel >> 1 }, bn);
    const p1 = unit(BLOCK_INPUT, p.c1, 1);
    const p2 = unit(unit(BLOCK_INPUT, p.c2Reduce, 1), p.c2, 3);
    const p3 = unit(unit(BLOCK_INPUT, p.c3Reduce, 1), p.c3, p.branch3Kernel);
    const p4 = unit(b.add('MaxPool2D', { kernel: 3, stride: 1, padding: 1 }, BLOCK_INPUT), p.c4, 1);
    return b.body(b.add('Concat', { inputs: 4 }, [p1, p2, p3, p4]));
  },
});
