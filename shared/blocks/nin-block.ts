import { z } from 'zod';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';
import type { LayerParams } from '../layers/registry.ts';
import { intOrPair } from '../layers/params.ts';
import { defineBlock } from './block-kind.ts';

export const ninBlock = defineBlock({
  ref: 'nin',
  title: 'NiN block',
  description: 'A conv (kernel, stride, padding) then two 1×1 convs, each followed by ReLU.',
  params: z.object({
    channels: z.number().int().min(1).max(65536).default(96),
    kernel: intOrPair(1).default(3),
    stride: intOrPair(1).default(1),
    padding: intOrPair(0).default(1),
  }),
  expand: ({ channels, kernel, stride, padding }) => {
    const b = new GraphBuilder<LayerParams>();
    const relu = { activation: 'relu' } as const;
    const x = b.add('Conv2D', { filters: channels, kernel, stride, padding, ...relu }, BLOCK_INPUT);
    return b.body(
      b.chain(x, [
        ['Conv2D', { filters: channels, kernel: 1, ...relu }],
        ['Conv2D', { filters: channels, kernel: 1, ...relu }],
      ]),
    );
  },
});
