import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  batchNorm,
  cast,
  engine,
  matMul,
  randomNormal,
  randomUniform,
  clone,
  concat,
  grads,
  mean,
  split,
  mul,
  setBackend,
  slice,
  squeeze,
  sum,
  tensor,
  type Tensor,
} from '@tensorflow/tfjs-core';
import '../../test/graph-kit.ts';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { normalizeBatch } from '../../layers/tfjs/batch-norm-training.ts';
import { registerTrainingKernels } from './register-training-kernels.ts';

setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`);

type Pad = 'same' | 'valid' | number;
const cases: [kernel: number, stride: number, pad: Pad, size: number, cin: number, cout: number][] = [
  [3, 1, 'same', 8, 3, 4],
  [3, 1, 1, 7, 3, 4],
  [5, 1, 'valid', 9, 3, 4],
  [1, 1, 'valid', 5, 3, 4],
  [3, 2, 'valid', 9, 3, 4],
  [5, 2, 'same', 10, 3, 4],
  [2, 2, 'valid', 7, 3, 4],
  [3, 2, 1, 8, 3, 4],
  [1, 2, 'valid', 7, 3, 4],
  [1, 2, 'same', 8, 3, 4],
  [3, 3, 'same', 10, 3, 4],
  [4, 2, 'same', 9, 3, 4],
  [5, 3, 2, 11, 3, 4],
  // Wider inputs and outputs than the cases above.
  [3, 1, 'same', 8, 6, 4],
  [3, 2, 1, 8, 5, 3],
  [5, 2, 'same', 10, 6, 2],
  [2, 2, 'valid', 7, 5, 4],
  // 1×1 convs narrowing the channels (above, widening): the filter gradient's product both ways round.
  [1, 1, 'valid', 5, 6, 2],
  [1, 2, 'valid', 7, 6, 2],
];

async function on<T>(backend: string, f: () => T): Promise<T> {
  await setBackend(backend);
  return f();
}

function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Runs `run` on the cpu backend, then on wasm with our kernels; every value must agree to `digits`. */
async function expectWasmToMatchCpu(run: () => number[][], digits: number): Promise<void> {
  const reference = await on('cpu', run);
  await setBackend('wasm');
  registerTrainingKernels();
  run().forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(reference[i]![j]!, digits)));
  await setBackend('cpu');
}

describe('training kernels', () => {
  it.each(cases)(
    'wasm conv gradients equal the cpu reference (kernel %i, stride %i, padding %s, %i px, %i→%i channels)',
    async (k, s, pad, size, cin, cout) => {
      const x = await on('cpu', () => randomNormal([2, size, size, cin], 0, 1, 'float32', 1).arraySync());
      const filter = await on('cpu', () => randomNormal([k, k, cin, cout], 0, 1, 'float32', 2).arraySync());
      const dyShape = engine().runKernel(
        'Conv2D',
        {
          x: engine().makeTensor(new Float32Array(2 * size * size * cin), [2, size, size, cin], 'float32'),
          filter: engine().makeTensor(new Float32Array(k * k * cin * cout), [k, k, cin, cout], 'float32'),
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
          { x: t(x, [2, size, size, cin]), dy: t(dy, dyShape.shape) },
          { ...attrs, filterShape: [k, k, cin, cout] },
        ) as Tensor;
        const dx = engine().runKernel(
          'Conv2DBackpropInput',
          { dy: t(dy, dyShape.shape), filter: t(filter, [k, k, cin, cout]) },
          { ...attrs, inputShape: [2, size, size, cin] },
        ) as Tensor;
        return [values(dw), values(dx)];
      };
      await expectWasmToMatchCpu(run, 3);
    },
  );

  const poolCases: [size: number, kernel: number, stride: number, pad: 'same' | 'valid'][] = [
    [8, 2, 2, 'valid'],
    [7, 2, 2, 'valid'],
    [7, 3, 2, 'valid'],
    [7, 3, 2, 'same'],
    [6, 3, 1, 'same'],
    [5, 2, 1, 'valid'],
  ];

  it.each(['Max', 'Avg'].flatMap((kind) => poolCases.map((c) => [kind, ...c] as const)))(
    'wasm %s-pool gradient equals the cpu reference, ties included (%i px, pool %i, stride %i, %s)',
    async (kind, size, k, s, pad) => {
      // Few distinct values, so many windows hold their maximum twice: the first one must get the gradient.
      const x = await on('cpu', () =>
        cast(randomUniform([2, size, size, 5], 0, 4, 'int32', 8), 'float32').arraySync(),
      );
      const attrs = { filterSize: [k, k], strides: [s, s], pad };
      const run = () => {
        const input = tensor(x as number[][][][]);
        const y = engine().runKernel(`${kind}Pool`, { x: input }, attrs) as Tensor;
        const dy = randomNormal(y.shape, 0, 1, 'float32', 9);
        return [values(engine().runKernel(`${kind}PoolGrad`, { dy, input, output: y }, attrs) as Tensor)];
      };
      // Overlapping windows add several gradients into one pixel, in another order than the cpu backend.
      await expectWasmToMatchCpu(run, 5);
    },
  );

  it.each([
    [false, true],
    [true, false],
    [true, true],
  ])('wasm matMul with transposeA %s, transposeB %s equals the cpu reference', async (ta, tb) => {
    const run = () => {
      const a = randomNormal(ta ? [2, 7, 5] : [2, 5, 7], 0, 1, 'float32', 10);
      const b = randomNormal(tb ? [2, 3, 7] : [2, 7, 3], 0, 1, 'float32', 11);
      const one = matMul(
        squeeze(slice(a, [0, 0, 0], [1, -1, -1]), [0]),
        squeeze(slice(b, [0, 0, 0], [1, -1, -1]), [0]),
        ta,
        tb,
      );
      return [values(matMul(a, b, ta, tb)), values(one)];
    };
    await expectWasmToMatchCpu(run, 4);
  });

  it.each([
    [true, true],
    [false, true],
    [true, false],
    [false, false],
  ])('wasm batchNorm with offset %s and scale %s equals the cpu reference', async (withOffset, withScale) => {
    const run = () => {
      const x = randomNormal([3, 4, 5, 6], 1, 2, 'float32', 12);
      const mean = randomNormal([6], 1, 1, 'float32', 13);
      const variance = randomUniform([6], 0.5, 2, 'float32', 14);
      const offset = withOffset ? randomNormal([6], 0, 1, 'float32', 15) : undefined;
      const scale = withScale ? randomNormal([6], 1, 0.2, 'float32', 16) : undefined;
      return [values(batchNorm(x, mean, variance, offset, scale, 1e-3))];
    };
    await expectWasmToMatchCpu(run, 4);
  });

  // Channel counts below, at and past the four channels the loops take at a time, and not a multiple of it;
  // the last shapes span several of the loops' tiles of rows (8,192 values).
  it.each([[[3, 4, 5, 3]], [[2, 3, 3, 4]], [[2, 5, 4, 10]], [[7, 6]], [[4, 30, 30, 13]], [[4, 20, 20, 24]]])(
    'wasm per-channel Sum and Mean, kept dims or not, equal the cpu reference (%j)',
    async (shape) => {
      const run = () => {
        const x = randomNormal(shape, 3, 2, 'float32', 17);
        const leading = shape.slice(0, -1).map((_, i) => i);
        return [
          values(sum(x, leading)),
          values(mean(x, leading, true)),
          values(sum(x, [...leading].reverse())),
          // Not per channel: wasm's own kernels still answer.
          values(sum(x, -1)),
          values(mean(x)),
        ];
      };
      await expectWasmToMatchCpu(run, 4);
    },
  );

  it.each([[[4, 5, 5, 3]], [[2, 4, 4, 8]], [[3, 3, 3, 6]], [[9, 5]], [[8, 16, 16, 22]]])(
    'wasm BatchNorm training (moments and the closed-form gradient) equals the cpu reference (%j)',
    async (shape) => {
      const channels = shape.at(-1)!;
      const run = () => {
        // A mean far from zero: the one-pass variance must keep its precision.
        const x = randomNormal(shape, 40, 3, 'float32', 18);
        const gamma = randomNormal([channels], 1, 0.2, 'float32', 19);
        const beta = randomNormal([channels], 0, 0.2, 'float32', 20);
        const weights = randomNormal(shape, 0, 1, 'float32', 21);
        const loss = (xx: Tensor, g: Tensor, b: Tensor) =>
          sum(mul(normalizeBatch(xx, g, b, 1e-3).y, weights));
        const { mean: mu, variance } = normalizeBatch(x, gamma, beta, 1e-3);
        return [values(mu), values(variance), ...grads(loss)([x, gamma, beta]).map(values)];
      };
      await expectWasmToMatchCpu(run, 3);
    },
  );

  it.each([
    [
      [0, 1, 1, 0],
      [2, 4, 3, 5],
    ],
    [
      [1, 0, 2, 0],
      [1, 5, 2, -1],
    ],
    [
      [0, 0, 0, 1],
      [2, 2, 2, 3],
    ],
    [
      [0, 2, 0, 0],
      [-1, 3, -1, -1],
    ],
  ])('wasm Slice of an NHWC batch equals the cpu reference (begin %j, size %j)', async (begin, size) => {
    const run = () => [values(slice(randomNormal([2, 6, 5, 5], 0, 1, 'float32', 22), begin, size))];
    await expectWasmToMatchCpu(run, 6);
  });

  it.each([
    [[3, 5, 2], -1],
    [[4, 4, 1], -1],
    [[2, 7, 6], 3],
    [[3, 5, 2], 1],
    [[0, 3, 2], -1],
  ])(
    'wasm Concat and SplitV of channel widths %j on axis %i equal the cpu reference',
    async (widths, axis) => {
      const run = () => {
        const parts = widths.map((w, k) => randomNormal([2, 3, 4, w], 0, 1, 'float32', 23 + k));
        const joined =
          axis === 1
            ? concat(
                parts.map((p) => slice(p, [0, 0, 0, 0], [2, 3, 4, 2])),
                1,
              )
            : concat(parts, axis);
        return [values(joined), ...split(joined, axis === 1 ? 3 : widths, axis).map(values)];
      };
      await expectWasmToMatchCpu(run, 6);
    },
  );

  it('wasm Identity shares its input’s data: a clone outlives its original, values intact', async () => {
    await setBackend('wasm');
    registerTrainingKernels();
    const x = randomNormal([4, 3, 3, 2], 0, 1, 'float32', 31);
    const want = values(x);
    const copy = clone(x);
    expect(copy.dataId).toBe(x.dataId);
    x.dispose();
    expect(values(copy)).toEqual(want);
    copy.dispose();
    await setBackend('cpu');
  });
});
