import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../compile/compile-graph.ts';
import { modelToFiles } from '../compile/tfjs-artifacts.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { templates } from '../templates/catalogue.ts';
import { importKerasModel } from './keras-model.ts';

/** A graph's figures that an import must keep: counts apart, FLOPs, and the shape of the logits. */
function figures(graph: Parameters<typeof inferShapes>[0]) {
  const inf = inferShapes(graph);
  expect(inf.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { ...inf.totals.params, flops: inf.totals.flops };
}

describe('importing a tfjs or Keras model', () => {
  it.each(templates.map((t) => [t.id, t] as const))(
    'gives back %s from its tfjs model.json: the same counts and FLOPs',
    async (_id, template) => {
      const graph = template.build();
      const compiled = compileGraph(graph);
      if (!compiled.ok) throw new Error(compiled.error.message);
      // The topology only: encoding VGG's weights would take seconds and is not what is read.
      const topology = JSON.stringify({ modelTopology: compiled.value.model.toJSON(undefined, false) });
      compiled.value.model.dispose();
      const imported = importKerasModel(topology);
      if (!imported.ok) throw new Error(imported.error);
      expect(figures(imported.value.graph)).toEqual(figures(graph));
    },
  );

  it('gives LeNet back node for node: the same ids, each with the same output shape', async () => {
    const graph = templates.find((t) => t.id === 'lenet')!.build();
    const compiled = compileGraph(graph);
    if (!compiled.ok) throw new Error(compiled.error.message);
    const { modelJson } = await modelToFiles(compiled.value.model);
    const imported = importKerasModel(modelJson);
    if (!imported.ok) throw new Error(imported.error);
    const shapes = (g: typeof graph) => {
      const inf = inferShapes(g);
      return g.nodes.map((n) => {
        const r = inf.nodes.get(n.id);
        return [n.id, n.type, r?.status === 'ok' ? [...r.outputs.values()] : r?.status];
      });
    };
    expect(shapes(imported.value.graph)).toEqual(shapes(graph));
  });

  /** A Keras 3 functional model as model.to_json() writes it (the parts read). */
  const keras3 = (layers: unknown[], outputs = [['out', 0, 0]]) =>
    JSON.stringify({
      class_name: 'Functional',
      config: { name: 'tiny', layers, input_layers: [['img', 0, 0]], output_layers: outputs },
      keras_version: '3.3.3',
    });
  const tensor = (name: string) => ({
    class_name: '__keras_tensor__',
    config: { shape: [null], dtype: 'float32', keras_history: [name, 0, 0] },
  });
  const layer = (class_name: string, name: string, config: object, inputs: string[] = []) => ({
    module: 'keras.layers',
    class_name,
    name,
    config: { name, ...config },
    inbound_nodes: inputs.length
      ? [{ args: inputs.length === 1 ? [tensor(inputs[0]!)] : [inputs.map(tensor)], kwargs: {} }]
      : [],
  });

  it('reads Keras 3: residual adds, BatchNorm momentum turned round, padding "same", a softmax head', () => {
    const model = keras3([
      layer('InputLayer', 'img', { batch_shape: [null, 32, 32, 3] }),
      layer(
        'Conv2D',
        'c1',
        {
          filters: 8,
          kernel_size: [3, 3],
          strides: [1, 1],
          padding: 'same',
          use_bias: false,
          activation: 'linear',
        },
        ['img'],
      ),
      layer('BatchNormalization', 'bn', { axis: -1, momentum: 0.9, epsilon: 0.001 }, ['c1']),
      layer('ReLU', 'r', {}, ['bn']),
      layer('Conv2D', 'c2', { filters: 8, kernel_size: 3, padding: 'same', activation: 'relu' }, ['r']),
      layer('Add', 'add', {}, ['r', 'c2']),
      layer('MaxPooling2D', 'pool', { pool_size: [3, 3], strides: [2, 2], padding: 'same' }, ['add']),
      layer('GlobalAveragePooling2D', 'gap', {}, ['pool']),
      layer('Dense', 'out', { units: 5, activation: 'softmax' }, ['gap']),
    ]);
    const imported = importKerasModel(model);
    if (!imported.ok) throw new Error(imported.error);
    const { nodes, edges } = imported.value.graph;
    expect(nodes.map((n) => [n.id, n.type])).toEqual([
      ['img', 'Input'],
      ['c1', 'Conv2D'],
      ['bn', 'BatchNorm'],
      ['r', 'Activation'],
      ['c2', 'Conv2D'],
      ['add', 'Add'],
      ['pool', 'MaxPool2D'],
      ['gap', 'GlobalAvgPool'],
      ['out', 'Dense'],
      ['output', 'Output'],
    ]);
    // Keras keeps 0.9 of the running value: PyTorch's momentum 0.1, the default, so not written.
    expect(nodes.find((n) => n.id === 'bn')!.params).toEqual({ eps: 0.001 });
    // The softmax moved to the Output: the Dense gives logits.
    expect(nodes.find((n) => n.id === 'out')!.params).toEqual({ units: 5 });
    // TF pads a 3×3 window of stride 2 on 32 rows by 0 before and 1 after: PyTorch's ceil mode, no padding.
    expect(nodes.find((n) => n.id === 'pool')!.params).toEqual({ kernel: 3, stride: 2, ceilMode: true });
    expect(edges.filter((e) => e.target === 'add').map((e) => [e.source, e.targetHandle])).toEqual([
      ['r', 'in0'],
      ['c2', 'in1'],
    ]);
    const inf = inferShapes(imported.value.graph);
    expect(inf.diagnostics).toEqual([]);
    const pool = inf.nodes.get('pool');
    expect(pool?.status === 'ok' && [...pool.outputs.values()][0]).toEqual([8, 16, 16]);
    expect(inf.totals.params).toEqual({ trainable: 8 * 27 + 16 + 8 * 72 + 8 + 8 * 5 + 5, nonTrainable: 16 });
  });

  it('reads a Keras 2 Sequential model, its input named by the first layer', () => {
    const model = JSON.stringify({
      class_name: 'Sequential',
      config: {
        name: 'seq',
        layers: [
          { class_name: 'Flatten', config: { name: 'f', batch_input_shape: [null, 8, 8, 1] } },
          { class_name: 'Dense', config: { name: 'd', units: 10, activation: 'linear' } },
        ],
      },
    });
    const imported = importKerasModel(model);
    expect(imported.ok && imported.value.graph.nodes.map((n) => n.type)).toEqual([
      'Input',
      'Flatten',
      'Dense',
      'Output',
    ]);
  });

  it('refuses what it cannot read, naming the layer', () => {
    const base = [layer('InputLayer', 'img', { batch_shape: [null, 8, 8, 1] })];
    expect(importKerasModel(keras3([...base, layer('DepthwiseConv2D', 'out', {}, ['img'])]))).toEqual({
      ok: false,
      error: 'layer "out" is a DepthwiseConv2D, which Blockwise has no node for',
    });
    expect(
      importKerasModel(
        keras3([...base, layer('Conv2D', 'out', { filters: 2, kernel_size: 3, activation: 'elu' }, ['img'])]),
      ),
    ).toMatchObject({ ok: false, error: expect.stringContaining('activation "elu"') });
    expect(
      importKerasModel(
        keras3(
          [...base, layer('Flatten', 'a', {}, ['img']), layer('Flatten', 'b', {}, ['img'])],
          [
            ['a', 0, 0],
            ['b', 0, 0],
          ],
        ),
      ),
    ).toEqual({ ok: false, error: 'the model has several outputs' });
    expect(importKerasModel('{"a": 1}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not a Keras'),
    });
    expect(importKerasModel('nope')).toMatchObject({ ok: false, error: expect.stringContaining('not JSON') });
    // Nesting deep enough to overflow a recursive walk is refused, not thrown.
    const deep = `{"class_name": "Functional", "config": {"layers": [{"class_name": "Add", "name": "a", "config": {}, "inbound_nodes": [{"args": ${'['.repeat(20_000)}${']'.repeat(20_000)}}]}]}}`;
    expect(importKerasModel(deep)).toMatchObject({
      ok: false,
      error: expect.stringContaining('nested more than 64'),
    });
  });
});
