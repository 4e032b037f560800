import { describe, expect, it } from 'vitest';
import { grad, sum, tensor4d, type Tensor } from '@tensorflow/tfjs-core';
import { model as tfModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { chainGraph, type LayerSpec } from '../test/graph-kit.ts';
import { compileGraph } from './compile-graph.ts';

type Image = number[][]; // one channel, H × W

/** PyTorch's pooling, written out loop by loop from its documented definition. */
function referencePool(
  x: Image,
  k: number,
  s: number,
  p: number,
  ceil: boolean,
  mode: 'max' | 'avg',
  includePad: boolean,
): Image {
  const n = x.length;
  const span = n + 2 * p - k;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= n + p) out -= 1;
  const result: Image = [];
  for (let oh = 0; oh < out; oh++) {
    const row: number[] = [];
    for (let ow = 0; ow < out; ow++) {
      const h0 = oh * s - p,
        w0 = ow * s - p;
      const h1 = Math.min(h0 + k, n + p),
        w1 = Math.min(w0 + k, n + p);
      const poolSize = (h1 - h0) * (w1 - w0);
      const hs = Math.max(h0, 0),
        ws = Math.max(w0, 0),
        he = Math.min(h1, n),
        we = Math.min(w1, n);
      let acc = mode === 'max' ? -Infinity : 0;
      for (let i = hs; i < he; i++)
        for (let j = ws; j < we; j++) acc = mode === 'max' ? Math.max(acc, x[i]![j]!) : acc + x[i]![j]!;
      row.push(mode === 'max' ? acc : acc / (includePad ? poolSize : (he - hs) * (we - ws)));
    }
    result.push(row);
  }
  return result;
}

/** Deterministic, mostly negative values: zero padding would win a max, and shows in an average. */
function sampleImage(n: number): Image {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => -1 - ((i * 7 + j * 13) % 11) / 3),
  );
}

/** Runs the graph Input → layer → Flatten → Output and returns the layer's own output (before the softmax). */
function run(n: number, layer: LayerSpec): Image {
  const compiled = compileGraph(chainGraph([1, n, n], [layer, ['Flatten'], ['Output']]));
  if (!compiled.ok) throw new Error(compiled.error.message);
  const { model } = compiled.value;
  // The builder names the node "<type>1"; the layer of that name produces the node's output.
  const name = `${layer[0].toLowerCase()}1`;
  const probe = tfModel({ inputs: model.inputs, outputs: model.getLayer(name).output as SymbolicTensor });
  const x = tensor4d([sampleImage(n).map((r) => r.map((v) => [v]))]);
  const y = probe.predict(x) as Tensor;
  const values = (y.arraySync() as number[][][][])[0]!.map((r) => r.map((c) => c[0]!));
  model.dispose();
  return values;
}

describe('compiled pooling equals PyTorch exactly', () => {
  const cases: [
    string,
    { kernel: number; stride: number; padding: number; ceilMode: boolean; countIncludePad?: boolean },
    number,
  ][] = [
    ['max, padding 1', { kernel: 3, stride: 2, padding: 1, ceilMode: false }, 7],
    ['max, padding 1, stride 1 (tfjs "same")', { kernel: 3, stride: 1, padding: 1, ceilMode: false }, 5],
    ['max, ceil mode', { kernel: 3, stride: 2, padding: 0, ceilMode: true }, 8],
    ['max, padding and ceil mode', { kernel: 2, stride: 2, padding: 1, ceilMode: true }, 6],
    ['avg, padding counted', { kernel: 3, stride: 2, padding: 1, ceilMode: false }, 7],
    [
      'avg, padding not counted',
      { kernel: 3, stride: 2, padding: 1, ceilMode: false, countIncludePad: false },
      7,
    ],
    ['avg, ceil mode', { kernel: 3, stride: 2, padding: 0, ceilMode: true }, 8],
    [
      'avg, padding, ceil mode, not counted',
      { kernel: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false },
      8,
    ],
  ];
  it.each(cases)('%s', (_name, p, n) => {
    const mode = _name.startsWith('max') ? 'max' : 'avg';
    const type = mode === 'max' ? 'MaxPool2D' : 'AvgPool2D';
    const expected = referencePool(
      sampleImage(n),
      p.kernel,
      p.stride,
      p.padding,
      p.ceilMode,
      mode,
      p.countIncludePad ?? true,
    );
    const actual = run(n, [type, p]);
    expect(actual.length).toBe(expected.length);
    actual.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 5));
  });
});

/** PyTorch's AdaptiveAvgPool2d from its definition: bin i spans floor(i·n/k) to ceil((i+1)·n/k). */
function referenceAdaptive(x: Image, k: number): Image {
  const n = x.length;
  const bin = (i: number) => [Math.floor((i * n) / k), Math.ceil(((i + 1) * n) / k)] as const;
  return Array.from({ length: k }, (_, oh) =>
    Array.from({ length: k }, (_, ow) => {
      const [[h0, h1], [w0, w1]] = [bin(oh), bin(ow)];
      let sum = 0;
      for (let i = h0; i < h1; i++) for (let j = w0; j < w1; j++) sum += x[i]![j]!;
      return sum / ((h1 - h0) * (w1 - w0));
    }),
  );
}

describe('compiled adaptive average pooling equals PyTorch exactly', () => {
  it.each([
    ['a size that divides the input (plain pooling)', 12, 3],
    ['overlapping bins (5 → 3)', 5, 3],
    ['more outputs than inputs (3 → 7, as VGG at a small input)', 3, 7],
    ['one output (global)', 6, 1],
  ])('%s', (_name, n, k) => {
    const actual = run(n, ['AdaptiveAvgPool2D', { size: k }]);
    const expected = referenceAdaptive(sampleImage(n), k);
    expect(actual.length).toBe(k);
    actual.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 5));
  });
});

describe('adaptive average pooling trains', () => {
  it('passes the gradient back: each input gets 1/(bin size) from every bin it lies in', () => {
    const compiled = compileGraph(
      chainGraph([1, 5, 5], [['AdaptiveAvgPool2D', { size: 3 }], ['Flatten'], ['Output']]),
    );
    if (!compiled.ok) throw new Error(compiled.error.message);
    const { logitsModel, model } = compiled.value;
    const x = tensor4d([sampleImage(5).map((r) => r.map((v) => [v]))]);
    const dx = grad((input: Tensor) => sum(logitsModel.apply(input) as Tensor))(x);
    // Along one axis 5 → 3 bins are [0,2), [1,4), [3,5): input 1 is in two bins of 2 and 3.
    const along = [1 / 2, 1 / 2 + 1 / 3, 1 / 3, 1 / 3 + 1 / 2, 1 / 2];
    const expected = along.flatMap((a) => along.map((b) => a * b));
    Array.from(dx.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    model.dispose();
  });
});
