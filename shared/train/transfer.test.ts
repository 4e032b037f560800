import { describe, expect, it } from 'vitest';
import { compileGraph } from '../compile/compile-graph.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import '../test/graph-kit.ts';
import { freezeLayers } from './transfer.ts';

/** Input → VGG block (two convs) → Flatten → Dense → Output, compiled. */
function compiled() {
  const b = new GraphBuilder();
  const block = b.add(
    'block:vgg',
    { numConvs: 2, channels: 2 },
    b.add('Input', { channels: 1, height: 4, width: 4 }),
  );
  const dense = b.add('Dense', { units: 3 }, b.add('Flatten', {}, block));
  b.add('Output', {}, dense);
  const c = compileGraph(b.graph());
  if (!c.ok) throw new Error(c.error.message);
  return { model: c.value, block: block.node, dense: dense.node };
}

const trainable = (c: ReturnType<typeof compiled>['model']) =>
  c.model.layers.filter((l) => l.trainable && l.trainableWeights.length > 0).map((l) => l.name);

describe('freezeLayers', () => {
  it('keeps every layer inside a chosen block fixed, and nothing else', () => {
    const { model, block, dense } = compiled();
    const frozen = freezeLayers(model, [block]);
    expect(frozen).toHaveLength(2);
    expect(frozen.every((name) => name.startsWith(`${block}_`))).toBe(true);
    expect(trainable(model)).toEqual([dense]);
  });

  it('keeps a chosen layer fixed; features keeps all but the head; none keeps nothing', () => {
    const chosen = compiled();
    expect(freezeLayers(chosen.model, [chosen.dense])).toEqual([chosen.dense]);
    expect(trainable(chosen.model)).toHaveLength(2);
    const features = compiled();
    expect(freezeLayers(features.model, 'features')).toHaveLength(2);
    expect(trainable(features.model)).toEqual([features.dense]);
    const none = compiled();
    expect(freezeLayers(none.model, 'none')).toEqual([]);
    expect(trainable(none.model)).toHaveLength(3);
  });
});
