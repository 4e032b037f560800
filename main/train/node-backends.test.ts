import { describe, expect, it } from 'vitest';
import {
  conv2d,
  grad,
  setBackend,
  square,
  sum,
  tensor4d,
  type Tensor,
  type Tensor4D,
} from '@tensorflow/tfjs-core';
// tfjs-layers registers tfjs's gradients when imported.
import '@tensorflow/tfjs-layers';
import { startNodeBackend } from './node-backends.ts';

function convGradient(xs: number[], ws: number[]): number[] {
  const x = tensor4d(xs, [4, 12, 12, 8]);
  const w = tensor4d(ws, [3, 3, 8, 8]);
  const loss = (input: Tensor) => sum(square(conv2d(input as Tensor4D, w, 1, 'same')));
  return Array.from(grad(loss)(x).dataSync());
}

describe('tfjs backends in Node', () => {
  it('runs wasm on the threads asked for, with the cpu backend’s gradients', async () => {
    const started = await startNodeBackend('wasm', 2);
    expect(started).toMatchObject({ name: 'wasm', threads: 2 });
    const xs = Array.from({ length: 4 * 12 * 12 * 8 }, (_, i) => Math.sin(i));
    const ws = Array.from({ length: 3 * 3 * 8 * 8 }, (_, i) => Math.cos(i) / 8);
    const threaded = convGradient(xs, ws);
    await setBackend('cpu');
    const reference = convGradient(xs, ws);
    threaded.forEach((v, i) => expect(v).toBeCloseTo(reference[i]!, 3));
  });
});
