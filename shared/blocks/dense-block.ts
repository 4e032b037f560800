import { z } from 'zod';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';
import type { LayerParams } from '../layers/registry.ts';
import { defineBlock } from './block-kind.ts';
import { batchNormOptions, bnReluConv } from './conv-unit.ts';

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
    /**
     * Where each unit's new channels go: after the input's (torchvision and d2l), or before them; the
     * channel order decides which weights of the next layer meet which features, so ported weights need it.
     */
    concatOrder: z.enum(['inputFirst', 'newFirst']).default('inputFirst'),
    ...batchNormOptions,
  }),
  expand: (p) => {
    const b = new GraphBuilder<LayerParams>();
    let x = BLOCK_INPUT;
    for (let i = 0; i < p.numConvs; i++) {
      const narrowed = p.bottleneck ? bnReluConv(b, x, { filters: 4 * p.growthRate, kernel: 1 }, p) : x;
      const y = bnReluConv(b, narrowed, { filters: p.growthRate, kernel: 3, padding: 1 }, p);
      x = b.add('Concat', { inputs: 2 }, p.concatOrder === 'inputFirst' ? [x, y] : [y, x]);
    }
    return b.body(x);
  },
});
