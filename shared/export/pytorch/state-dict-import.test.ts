import '../../test/graph-kit.ts';
import { randomUniform, type Tensor } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { compileGraph, type CompiledGraph } from '../../compile/compile-graph.ts';
import type { Graph } from '../../graph/document.ts';
import { findTemplate } from '../../templates/catalogue.ts';
import { initializeWeights } from '../../train/init-weights.ts';
import { pytorchModel } from './model-code.ts';
import { pytorchStateDict, stateDictFiles, type StateEntry } from './state-dict.ts';
import { readStateDictFiles } from './state-dict-files.ts';
import { loadTorchStateDict } from './state-dict-import.ts';

function compiled(graph: Graph): CompiledGraph {
  const c = compileGraph(graph);
  if (!c.ok) throw new Error(c.error.message);
  return c.value;
}

/** The state_dict of a model with random weights (BatchNorm statistics too), as its model.py names it. */
function stateOf(graph: Graph, seed: number): { model: CompiledGraph; entries: StateEntry[] } {
  const model = compiled(graph);
  initializeWeights(model, 'pytorch', seed);
  for (const w of model.model.weights)
    if (/moving/.test(w.originalName)) w.write(randomUniform(w.shape as number[], 0.5, 1.5, 'float32', seed));
  const names = pytorchModel(graph, model.inference);
  if (!names.ok) throw new Error(names.error.message);
  const entries = pytorchStateDict(model, names.value.modulePaths);
  if (!entries.ok) throw new Error(entries.error.message);
  return { model, entries: entries.value };
}

const logits = (model: CompiledGraph, x: Tensor) =>
  Array.from((model.logitsModel.predict(x) as Tensor).dataSync());

describe('a PyTorch state_dict into a design, by its model.py names', () => {
  // VGG-mini: a Dense after a Flatten (reordered from C, H, W); ResNet-mini: BatchNorm, shortcuts in blocks.
  it.each(['vgg-mini', 'resnet-mini'])('%s: what the export writes loads back to the same logits', (id) => {
    const graph = findTemplate(id)!.build();
    const { model, entries } = stateOf(graph, 7);
    const files = stateDictFiles(entries);
    const read = readStateDictFiles(files.manifest, files.bin);
    if (!read.ok) throw new Error(read.error);
    const other = compiled(graph);
    expect(loadTorchStateDict(graph, other, read.value)).toEqual({
      ok: true,
      value: {
        loaded: model.model.layers.filter((l) => l.weights.length > 0).length,
        freshHead: null,
        unused: [],
      },
    });
    const x = randomUniform([2, 28, 28, 1], 0, 1, 'float32', 3);
    expect(logits(other, x)).toEqual(logits(model, x));
  });

  it('refuses a misshapen or missing tensor naming the layer and the tensor, and writes nothing', () => {
    const graph = findTemplate('resnet-mini')!.build();
    const { entries } = stateOf(graph, 1);
    const target = compiled(graph);
    const before = target.model.weights.map((w) => Array.from(w.read().dataSync()));
    const misshapen = entries.map((e) =>
      e.name === 'residual2.conv2d1.weight'
        ? { ...e, shape: [32, 8, 3, 3], values: e.values.slice(0, 2304) }
        : e,
    );
    expect(loadTorchStateDict(graph, target, misshapen)).toEqual({
      ok: false,
      error:
        'layer "residual2/conv2d1" (residual2.conv2d1): residual2.conv2d1.weight is 32×8×3×3 in the file; the design needs 32×16×3×3',
    });
    const missing = entries.filter((e) => e.name !== 'batchnorm1.running_var');
    expect(loadTorchStateDict(graph, target, missing)).toEqual({
      ok: false,
      error: 'layer "batchnorm1" (batchnorm1): the file has no batchnorm1.running_var',
    });
    expect(target.model.weights.map((w) => Array.from(w.read().dataSync()))).toEqual(before);
  });

  it('leaves a head of other classes to train (transfer learning) and names the tensors it has no place for', () => {
    const { entries } = stateOf(findTemplate('resnet-mini')!.build({ classes: 5 }), 2);
    const graph = findTemplate('resnet-mini')!.build();
    const extra = { name: 'aux1.fc.weight', shape: [1], values: new Float32Array(1) };
    const loaded = loadTorchStateDict(graph, compiled(graph), [...entries, extra]);
    expect(loaded).toMatchObject({
      ok: true,
      value: { freshHead: 'dense1 (dense1)', unused: ['aux1.fc.weight'] },
    });
  });
});
