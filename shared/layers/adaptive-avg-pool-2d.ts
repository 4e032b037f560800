import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { elementCount } from '../shape.ts';
import { defineLayer, expectImage, fail, ok, SINGLE_INPUT } from './kind.ts';
import { intOrPair, pair } from './params.ts';
import { AdaptiveAverage } from './tfjs/adaptive-average.ts';
import { resolvePads, windowOf } from './spatial.ts';
import { pyPair } from './torch-syntax.ts';

export const adaptiveAvgPool2d = defineLayer({
  type: 'AdaptiveAvgPool2D',
  title: 'AdaptiveAvgPool2D',
  category: 'pooling',
  description:
    'Averages to a fixed output size whatever the input size (torchvision’s VGG and AlexNet end their features with 7×7).',
  params: z.object({ size: intOrPair(1).default(7) }),
  inputs: () => SINGLE_INPUT,
  // PyTorch's bins: bin i spans floor(i·in/out) to ceil((i+1)·in/out); as a window, exact where out divides
  // in, and the widest bin at the coarsest step where it does not. One bin sees the whole input.
  sight: (p, [x]) => {
    const [oh, ow] = pair(p.size);
    const [h, w] = [x?.[1] ?? 1, x?.[2] ?? 1];
    if (oh === 1 && ow === 1) return 'whole';
    const window = windowOf([Math.ceil(h / oh), Math.ceil(w / ow)], [Math.floor(h / oh), Math.floor(w / ow)]);
    return { window, pads: resolvePads(0, window) };
  },
  infer: ([x], p) => {
    const bad = expectImage(x!, 'AdaptiveAvgPool2D');
    return bad ? fail(bad) : ok([x![0]!, ...pair(p.size)]);
  },
  flops: ([x]) => elementCount(x!),
  tfjs: {
    build: ([x], p, ctx) => {
      const [h, w] = ctx.inputShapes[0]!.slice(1) as [number, number];
      const [kh, kw] = pair(p.size);
      // Where the size divides the input, PyTorch's bins are plain average pooling windows.
      if (h % kh === 0 && w % kw === 0) {
        const window: [number, number] = [h / kh, w / kw];
        const pool = layers.averagePooling2d({ poolSize: window, strides: window, name: ctx.name });
        return pool.apply(x!) as SymbolicTensor;
      }
      const layer = new AdaptiveAverage({ inputSize: [h, w], outputSize: [kh, kw], name: ctx.name });
      return layer.apply(x!) as SymbolicTensor;
    },
  },
  torch: {
    code: (p) => ({
      module: `nn.AdaptiveAvgPool2d(${pyPair(pair(p.size))})`,
      forward: ([x], self) => `${self}(${x})`,
    }),
  },
  keras: {
    // Keras has no adaptive pooling; where the sizes divide, plain average pooling is the same.
    code: (p, { inputShapes: [x] }) => {
      const [oh, ow] = pair(p.size);
      const [h, w] = [x![1]!, x![2]!];
      if (h % oh !== 0 || w % ow !== 0)
        return { refused: `Keras has no adaptive pooling, and ${h}×${w} is not a multiple of ${oh}×${ow}` };
      return { layers: [`layers.AveragePooling2D(pool_size=${pyPair([h / oh, w / ow])})`] };
    },
  },
});
