import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ones, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { GraphBuilder, type Source } from '../graph/graph-builder.ts';
import { hasErrors, inferShapes } from '../shapes/infer-shapes.ts';
import { countWeights } from '../test/graph-kit.ts';
import { compileGraph, toChannelsFirst } from './compile-graph.ts';

const small = (max: number) => fc.integer({ min: 1, max });
const size = fc.oneof(small(5), fc.tuple(small(5), small(5)));
const padding = fc.oneof(
  fc.integer({ min: 0, max: 2 }),
  fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
  fc.constantFrom('same', 'valid'),
);

type Step = (b: GraphBuilder, x: Source) => Source;

const conv = fc
  .record({
    filters: small(6),
    kernel: size,
    stride: size,
    padding,
    dilation: fc.oneof(fc.constant(1), small(2)),
    bias: fc.boolean(),
    activation: fc.constantFrom('none', 'relu', 'leakyRelu', 'gelu'),
  })
  .map(
    (p): Step =>
      (b, x) =>
        b.add('Conv2D', p, x),
  );
const pool = fc
  .record({
    type: fc.constantFrom('MaxPool2D', 'AvgPool2D'),
    kernel: size,
    stride: fc.oneof(fc.constant(null), size),
    padding: fc.integer({ min: 0, max: 2 }),
    ceilMode: fc.boolean(),
    countIncludePad: fc.boolean(),
  })
  .map(
    ({ type, ...p }): Step =>
      (b, x) =>
        b.add(type, type === 'MaxPool2D' ? { ...p, countIncludePad: undefined } : p, x),
  );
const simple = fc.constantFrom<Step>(
  (b, x) => b.add('BatchNorm', {}, x),
  (b, x) => b.add('Activation', { fn: 'tanh' }, x),
  (b, x) => b.add('Dropout', { rate: 0.2 }, x),
  (b, x) => b.add('ZeroPadding2D', { padding: [1, 0, 2, 1] }, x),
);
const residual = small(4).map((filters): Step => (b, x) => {
  const main = b.add('Conv2D', { filters, kernel: 3, padding: 1 }, x);
  const skip = b.add('Conv2D', { filters, kernel: 1 }, x);
  return b.add('Add', {}, [main, skip]);
});
const branches = small(4).map((filters): Step => (b, x) => {
  const a = b.add('Conv2D', { filters, kernel: 3, padding: 'same' }, x);
  const p = b.add('MaxPool2D', { kernel: 3, stride: 1, padding: 1 }, x);
  return b.add('Concat', {}, [a, p]);
});

const network = fc.record({
  input: fc.tuple(small(3), fc.integer({ min: 4, max: 20 }), fc.integer({ min: 4, max: 20 })),
  steps: fc.array(fc.oneof(conv, pool, simple, residual, branches), { minLength: 1, maxLength: 6 }),
  head: fc.constantFrom('Flatten', 'GlobalAvgPool'),
});

describe('random graphs', () => {
  it('compile to tfjs models whose every layer has the inferred shape, and whose counts are the inferred ones', () => {
    let checked = 0;
    fc.assert(
      fc.property(network, ({ input: [channels, height, width], steps, head }) => {
        const b = new GraphBuilder();
        const x = steps.reduce((src, step) => step(b, src), b.add('Input', { channels, height, width }));
        b.chain(x, [[head], ['Dense', { units: 3 }], ['Output']]);
        const graph = b.graph();
        const inference = inferShapes(graph);
        fc.pre(!hasErrors(inference));
        const compiled = compileGraph(graph, inference);
        if (!compiled.ok) throw new Error(compiled.error.message);
        const { model } = compiled.value;
        try {
          expect(countWeights(model)).toEqual(inference.totals.params);
          for (const node of inference.flat.order) {
            const r = inference.flat.results.get(node.id)!;
            if (r.status !== 'ok' || node.type === 'Input') continue;
            expect(toChannelsFirst(model.getLayer(node.id).outputShape as number[]), node.id).toEqual(
              r.shape,
            );
          }
          // And it runs: custom padding and scaling layers execute, not just declare shapes.
          const y = tidy(
            () => (model.predict(ones([2, height, width, channels])) as Tensor).arraySync() as number[][],
          );
          expect(y).toHaveLength(2);
          for (const row of y) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
          checked++;
        } finally {
          model.dispose();
        }
      }),
      { numRuns: 150 },
    );
    // The generator must produce mostly valid graphs, or this property checks little.
    expect(checked).toBeGreaterThan(50);
  });
});
