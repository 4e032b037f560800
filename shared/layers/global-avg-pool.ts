import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { elementCount } from '../shape.ts';
import { defineLayer, expectImage, fail, ok, SINGLE_INPUT } from './kind.ts';

export const globalAvgPool = defineLayer({
  type: 'GlobalAvgPool',
  title: 'GlobalAvgPool',
  category: 'pooling',
  description: 'Averages each channel over H×W: C×H×W becomes C (AdaptiveAvgPool2d(1) + Flatten).',
  params: z.object({}),
  inputs: () => SINGLE_INPUT,
  sight: () => 'whole',
  infer: ([x]) => {
    const bad = expectImage(x!, 'GlobalAvgPool');
    return bad ? fail(bad) : ok([x![0]!]);
  },
  flops: ([x]) => elementCount(x!),
  tfjs: {
    build: ([x], _p, ctx) => layers.globalAveragePooling2d({ name: ctx.name }).apply(x!) as SymbolicTensor,
  },
  torch: {
    code: () => ({ forward: ([x]) => `${x}.mean(dim=(2, 3))` }),
  },
  keras: {
    code: () => ({ layers: ['layers.GlobalAveragePooling2D()'] }),
  },
});
