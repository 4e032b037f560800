import { describe, expect, it } from 'vitest';
import { setBackend } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { compileGraph } from '../../shared/compile/compile-graph.ts';
import type { Dataset } from '../../shared/data/dataset.ts';
import type { Graph } from '../../shared/graph/document.ts';
import { GraphBuilder, type Source } from '../../shared/graph/graph-builder.ts';
import { layerKinds } from '../../shared/layers/registry.ts';
import { SeededRandom } from '../../shared/random.ts';
import { trainConfigSchema } from '../../shared/train/train-config.ts';
import { trainModel } from '../../shared/train/train-loop.ts';
import { startNodeBackend } from './node-backends.ts';

const IMAGE: [number, number, number] = [2, 6, 6];

/**
 * A graph that trains the kind with its default parameters: after a conv on an image where it takes images
 * (two convs for a merge), after a Flatten where it takes vectors, then a Dense of 3 scores.
 */
function around(type: string): Graph {
  const kind = layerKinds.find((k) => k.type === type)!;
  const params = kind.params.parse({});
  const b = new GraphBuilder();
  const input = b.add('Input', { channels: IMAGE[0], height: IMAGE[1], width: IMAGE[2] });
  const conv = () => b.add('Conv2D', { filters: 2, kernel: 3, padding: 1 }, input);
  const takesImages = kind.infer([IMAGE], params).ok;
  const feeds: Source[] = takesImages
    ? kind.inputs(params).map(() => conv())
    : [b.add('Flatten', {}, conv())];
  const y = b.add(type, {}, feeds);
  const shape = kind.infer(
    feeds.map(() => (takesImages ? IMAGE : [72])),
    params,
  );
  const flat = shape.ok && shape.shape.length === 3 ? b.add('Flatten', {}, y) : y;
  b.chain(flat, [['Dense', { units: 3 }], ['Output']]);
  return b.graph();
}

function dataset(): Dataset {
  const rng = new SeededRandom(3);
  const set = (count: number) => ({
    images: Uint8Array.from({ length: count * 72 }, () => rng.int(256)),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 3),
    count,
  });
  return { name: 'noise', classes: ['a', 'b', 'c'], shape: IMAGE, train: set(8), test: set(3) };
}

/** The trained weights' values after one SGD step from the seed's initialisation, and before it. */
async function oneStep(graph: Graph) {
  const compiled = compileGraph(graph);
  if (!compiled.ok) throw new Error(compiled.error.message);
  const { model } = compiled.value;
  try {
    const config = trainConfigSchema.parse({
      epochs: 1,
      batchSize: 8,
      lr: 0.5,
      maxBatchesPerEpoch: 1,
      seed: 5,
    });
    let before: Float32Array[] = [];
    await trainModel(compiled.value, dataset(), config, {
      onStart: () => void (before = model.trainableWeights.map((w) => w.read().dataSync() as Float32Array)),
    });
    const after = model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
    return { names: model.trainableWeights.map((w) => w.originalName), before, after };
  } finally {
    model.dispose();
  }
}

const kinds = layerKinds.filter((k) => k.type !== 'Input' && k.type !== 'Output').map((k) => k.type);

describe.each(['cpu', 'wasm'] as const)('every layer kind trains one step on %s', (backend) => {
  it.each(kinds)('%s: every weight moves and stays finite', async (type) => {
    await startNodeBackend(backend, 1);
    try {
      const { names, before, after } = await oneStep(around(type));
      names.forEach((name, i) => {
        expect(after[i]!.every(Number.isFinite), name).toBe(true);
        expect(
          after[i]!.some((v, j) => v !== before[i]![j]),
          `${name} did not train`,
        ).toBe(true);
      });
    } finally {
      await setBackend('cpu');
    }
  });
});
