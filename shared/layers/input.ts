import { z } from 'zod';
import { input as tfInput } from '@tensorflow/tfjs-layers';
import { defineLayer, ok } from './kind.ts';

const dim = z.number().int().min(1).max(8192);

export const input = defineLayer({
  type: 'Input',
  title: 'Input',
  role: 'input',
  category: 'io',
  description: 'The image batch entering the network, C×H×W.',
  params: z.object({ channels: dim.max(4096).default(1), height: dim.default(28), width: dim.default(28) }),
  inputs: () => [],
  infer: (_in, p) => ok([p.channels, p.height, p.width]),
  flops: () => 0,
  tfjs: {
    build: (_in, p, ctx) => tfInput({ shape: [p.height, p.width, p.channels], name: ctx.name }),
  },
  torch: {
    // The batch the model's forward takes, N×C×H×W.
    code: () => ({ forward: () => 'x' }),
  },
  keras: {
    // Keras takes images as H, W, C.
    code: (p) => ({ layers: [`keras.Input(shape=(${p.height}, ${p.width}, ${p.channels}))`] }),
  },
});
