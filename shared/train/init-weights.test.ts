import { describe, expect, it } from 'vitest';
import { compileGraph } from '../compile/compile-graph.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import '../test/graph-kit.ts';
import { initializeWeights } from './init-weights.ts';

/** A conv (3×3, 4 → 8) with its activation, and a Dense (8·4·4 → 5), compiled. */
function net() {
  const b = new GraphBuilder();
  b.chain(b.add('Input', { channels: 4, height: 4, width: 4 }), [
    ['Conv2D', { filters: 8, kernel: 3, padding: 1, activation: 'relu' }],
    ['BatchNorm'],
    ['Flatten'],
    ['Dense', { units: 5 }],
    ['Output'],
  ]);
  const c = compileGraph(b.graph());
  if (!c.ok) throw new Error(c.error.message);
  return c.value;
}

const largest = (values: Float32Array) => Math.max(...Array.from(values, Math.abs));

describe('initializeWeights (each layer kind declares its bounds)', () => {
  it('draws each kernel and bias within its kind’s bound, the same for a seed, BatchNorm left at 1 and 0', () => {
    const weightsOf = (scheme: 'pytorch' | 'xavier', seed: number) => {
      const compiled = net();
      initializeWeights(compiled, scheme, seed);
      const values = Object.fromEntries(
        compiled.model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]),
      );
      compiled.model.dispose();
      return values;
    };
    const a = weightsOf('pytorch', 7);
    expect(weightsOf('pytorch', 7)).toEqual(a);
    const conv = 1 / Math.sqrt(3 * 3 * 4);
    expect(largest(a['conv2d1_conv/kernel']!)).toBeLessThanOrEqual(conv);
    expect(largest(a['conv2d1_conv/kernel']!)).toBeGreaterThan(0.8 * conv);
    expect(largest(a['conv2d1_conv/bias']!)).toBeLessThanOrEqual(conv);
    expect(largest(a['dense1/kernel']!)).toBeGreaterThan(0.8 / Math.sqrt(128));
    expect([...a['batchnorm1/gamma']!].every((v) => v === 1)).toBe(true);
    const xavier = weightsOf('xavier', 7);
    const bound = Math.sqrt(6 / (3 * 3 * 4 + 3 * 3 * 8));
    expect(largest(xavier['conv2d1_conv/kernel']!)).toBeLessThanOrEqual(bound);
    expect(largest(xavier['conv2d1_conv/kernel']!)).toBeGreaterThan(0.8 * bound);
  });
});
