import { z } from 'zod';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';
import { defineBlock } from './block-kind.ts';
import { bnReluConv } from './conv-unit.ts';

export const denseBlock = defineBlock({
  ref: 'dense',
  title: 'Dense block',
  description:
    'numConvs BN-ReLU-3×3 conv units (growthRate channels each); each output is concatenated to its input.',
  params: z.object({
    numConvs: z.number().int().min(1).max(128).default(4),
    growthRate: z.number().int().min(1).max(4096).default(32),
    /** DenseNet-B: a BN-ReLU-1×1 conv to 4 × growthRate channels before each 3×3 conv. */
    bottleneck: z.boolean().default(false),
    bias: z.boolean().default(true),
  }),
  expand: ({ numConvs, growthRate, bottleneck, bias }) => {
    const b = new GraphBuilder();
    let x = BLOCK_INPUT;
    for (let i = 0; i < numConvs; i++) {
      const narrowed = bottleneck ? bnReluConv(b, x, { filters: 4 * growthRate, kernel: 1 }, bias) : x;
      const y = bnReluConv(b, narrowed, { filters: growthRate, kernel: 3, padding: 1 }, bias);
      x = b.add('Concat', { inputs: 2 }, [x, y]);
    }
    return b.body(x);
  },
});
