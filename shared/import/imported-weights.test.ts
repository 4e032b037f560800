import '@tensorflow/tfjs-backend-cpu';
import { randomNormal, randomUniform, type Tensor } from '@tensorflow/tfjs-core';
import { layers, sequential, type LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../compile/compile-graph.ts';
import { modelToFiles, type ModelFiles } from '../compile/tfjs-artifacts.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { importKerasModel } from './keras-model.ts';
import { joinedWeights, loadImportedWeights, weightFileNames } from './imported-weights.ts';

/** The imported graph, compiled, and the result of loading the files' weights into it. */
function importWithWeights(files: ModelFiles) {
  const imported = importKerasModel(files.modelJson);
  if (!imported.ok) throw new Error(imported.error);
  const compiled = compileGraph(imported.value.graph);
  if (!compiled.ok) throw new Error(compiled.error.message);
  return {
    compiled: compiled.value,
    loaded: loadImportedWeights(compiled.value, imported.value.weightSources, files),
  };
}

const outputsOn = async (model: LayersModel, x: Tensor) =>
  Array.from(await (model.predict(x) as Tensor).data());

/** A model as another tool writes it: activations inside the layers, a softmax head, BatchNorm. */
function kerasStyleModel(): LayersModel {
  const model = sequential({ name: 'keras_style' });
  model.add(
    layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', name: 'c1' }),
  );
  model.add(layers.batchNormalization({ name: 'bn' }));
  model.add(layers.maxPooling2d({ poolSize: 2 }));
  model.add(layers.flatten());
  model.add(layers.dense({ units: 3, activation: 'softmax', name: 'head' }));
  // Statistics as a trained model has them, not the initial zeros and ones.
  const bn = model.getLayer('bn');
  bn.setWeights(
    bn.getWeights().map((w, i) => (i < 2 ? randomNormal(w.shape) : randomUniform(w.shape, 0.5, 1.5))),
  );
  return model;
}

describe('an imported model keeps its weights', () => {
  it("a Blockwise run's own model.json: every layer takes its weights, and the outputs are the same", async () => {
    const original = compileGraph(findTemplate('lenet')!.build());
    if (!original.ok) throw new Error(original.error.message);
    const files = await modelToFiles(original.value.model);
    const { compiled, loaded } = importWithWeights(files);
    expect(loaded).toEqual({
      ok: true,
      value: original.value.model.layers.filter((l) => l.weights.length).length,
    });
    const x = randomNormal([2, 28, 28, 1]);
    const [want, got] = await Promise.all([outputsOn(original.value.model, x), outputsOn(compiled.model, x)]);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
  });

  it("another tool's model: activations, BatchNorm statistics and the softmax head port exactly", async () => {
    const source = kerasStyleModel();
    const files = await modelToFiles(source);
    const { compiled, loaded } = importWithWeights(files);
    expect(loaded).toEqual({ ok: true, value: 3 });
    const x = randomNormal([3, 8, 8, 1]);
    const [want, got] = await Promise.all([outputsOn(source, x), outputsOn(compiled.model, x)]);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
  });

  it('refuses weights that are missing, misshapen or cut short, naming the layer', async () => {
    const files = await modelToFiles(kerasStyleModel());
    const json = JSON.parse(files.modelJson) as {
      weightsManifest: { weights: { name: string; shape: number[] }[] }[];
    };
    const edited = (edit: (weights: { name: string; shape: number[] }[]) => void) => {
      const copy = structuredClone(json);
      edit(copy.weightsManifest[0]!.weights);
      return JSON.stringify(copy);
    };
    const missing = edited((w) => w.forEach((s) => (s.name = s.name.replace(/^head\//, 'other/'))));
    expect(importWithWeights({ ...files, modelJson: missing }).loaded).toEqual({
      ok: false,
      error: 'layer "head" saves 0 weights; its node "head" has 2',
    });
    const misshapen = edited((w) => {
      const kernel = w.find((s) => s.name === 'c1/kernel')!;
      const bias = w.find((s) => s.name === 'c1/bias')!;
      [kernel.shape, bias.shape] = [[3, 3, 1, 2], [8]];
    });
    const refused = importWithWeights({ ...files, modelJson: misshapen }).loaded;
    expect(refused).toEqual({
      ok: false,
      error: 'layer "c1": c1/kernel is 3×3×1×2, but node "c1" needs 3×3×1×4',
    });
    const short = importWithWeights({ ...files, weightsBin: files.weightsBin.subarray(0, 40) }).loaded;
    expect(short.ok).toBe(false);
    expect(!short.ok && short.error).toMatch(/^the weights do not fit model.json's manifest/);
  });
});

describe('weightFileNames', () => {
  it("lists a manifest's files beside model.json, shards in order", () => {
    const json = (paths: unknown) => JSON.stringify({ weightsManifest: [{ paths, weights: [] }] });
    expect(weightFileNames(json(['./weights.bin']))).toEqual({ ok: true, value: ['weights.bin'] });
    expect(weightFileNames(json(['group1-shard1of2.bin', 'group1-shard2of2.bin']))).toEqual({
      ok: true,
      value: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
    });
    expect(weightFileNames('{"modelTopology":{}}')).toEqual({ ok: true, value: [] });
  });

  it('refuses a path that leads anywhere but beside model.json', () => {
    for (const path of ['../secret.bin', '/etc/passwd', 'sub/w.bin', '..', '.\\w.bin', 7])
      expect(weightFileNames(JSON.stringify({ weightsManifest: [{ paths: [path] }] })).ok, String(path)).toBe(
        false,
      );
    expect(weightFileNames('{"weightsManifest":{}}').ok).toBe(false);
  });

  it('joins shards in order', () => {
    expect(
      Array.from(joinedWeights([new Uint8Array([1, 2]), new Uint8Array([]), new Uint8Array([3])])),
    ).toEqual([1, 2, 3]);
  });
});
