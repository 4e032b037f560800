import { z } from 'zod';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';
import { defineBlock } from './block-kind.ts';
import { convRelu } from './conv-unit.ts';

const channels = z.number().int().min(1).max(65536);

export const inceptionBlock = defineBlock({
  ref: 'inception',
  title: 'Inception',
  description: 'Four branches, concatenated: 1×1 | 1×1→3×3 | 1×1→5×5 | 3×3 max pool→1×1.',
  params: z.object({
    c1: channels.default(64),
    c2Reduce: channels.default(96),
    c2: channels.default(128),
    c3Reduce: channels.default(16),
    c3: channels.default(32),
    c4: channels.default(32),
    batchNorm: z.boolean().default(false),
  }),
  expand: (p) => {
    const b = new GraphBuilder();
    const unit = (from: typeof BLOCK_INPUT, filters: number, kernel: number) =>
      convRelu(b, from, { filters, kernel, padding: kernel >> 1 }, p.batchNorm);
    const p1 = unit(BLOCK_INPUT, p.c1, 1);
    const p2 = unit(unit(BLOCK_INPUT, p.c2Reduce, 1), p.c2, 3);
    const p3 = unit(unit(BLOCK_INPUT, p.c3Reduce, 1), p.c3, 5);
    const p4 = unit(b.add('MaxPool2D', { kernel: 3, stride: 1, padding: 1 }, BLOCK_INPUT), p.c4, 1);
    return b.body(b.add('Concat', { inputs: 4 }, [p1, p2, p3, p4]));
  },
});
