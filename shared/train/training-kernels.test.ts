import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engine, randomNormal, setBackend, type Tensor } from '@tensorflow/tfjs-core';
import '../test/graph-kit.ts';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerTrainingKernels } from './training-kernels.ts';

setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`);

type Pad = 'same' | 'valid' | number;
const cases: [kernel: number, stride: number, pad: Pad, size: number][] = [
  [3, 1, 'same', 8],
  [3, 1, 1, 7],
  [5, 1, 'valid', 9],
  [1, 1, 'valid', 5],
  [3, 2, 'valid', 9],
  [5, 2, 'same', 10],
  [2, 2, 'valid', 7],
  [3, 2, 1, 8],
];

async function on<T>(backend: string, f: () => T): Promise<T> {
  await setBackend(backend);
  return f();
}

function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

describe('training kernels', () => {
  it.each(cases)(
    'wasm conv gradients equal the cpu reference (kernel %i, stride %i, padding %s, %i px)',
    async (k, s, pad, size) => {
      const x = await on('cpu', () => randomNormal([2, size, size, 3], 0, 1, 'float32', 1).arraySync());
      const filter = await on('cpu', () => randomNormal([k, k, 3, 4], 0, 1, 'float32', 2).arraySync());
      const dyShape = engine().runKernel(
        'Conv2D',
        {
          x: engine().makeTensor(new Float32Array(2 * size * size * 3), [2, size, size, 3], 'float32'),
          filter: engine().makeTensor(new Float32Array(k * k * 12), [k, k, 3, 4], 'float32'),
        },
        { strides: [s, s], pad, dataFormat: 'NHWC', dilations: [1, 1] },
      ) as Tensor;
      const dy = await on('cpu', () => randomNormal(dyShape.shape, 0, 1, 'float32', 3).arraySync());
      const run = () => {
        const attrs = { strides: [s, s], pad, dataFormat: 'NHWC' };
        const t = (v: unknown, shape: number[]) =>
          engine().makeTensor(Float32Array.from((v as number[]).flat(4) as number[]), shape, 'float32');
        const dw = engine().runKernel(
          'Conv2DBackpropFilter',
          { x: t(x, [2, size, size, 3]), dy: t(dy, dyShape.shape) },
          { ...attrs, filterShape: [k, k, 3, 4] },
        ) as Tensor;
        const dx = engine().runKernel(
          'Conv2DBackpropInput',
          { dy: t(dy, dyShape.shape), filter: t(filter, [k, k, 3, 4]) },
          { ...attrs, inputShape: [2, size, size, 3] },
        ) as Tensor;
        return [values(dw), values(dx)];
      };
      const reference = await on('cpu', run);
      await setBackend('wasm');
      registerTrainingKernels();
      const ours = run();
      ours.forEach((a, i) => a.forEach((v, j) => expect(v).toBeCloseTo(reference[i]![j]!, 3)));
      await setBackend('cpu');
    },
  );
});
