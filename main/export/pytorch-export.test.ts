import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pytorchModel } from '../../shared/export/pytorch/model-code.ts';
import type { Graph } from '../../shared/graph/document.ts';
import { parseGraphFile } from '../../shared/graph/file-format.ts';
import { GraphBuilder } from '../../shared/graph/graph-builder.ts';
import { inferShapes } from '../../shared/shapes/infer-shapes.ts';
import { findTemplate, templates } from '../../shared/templates/catalogue.ts';
import { jsonLines, pythonScript, runPython } from './python-runner.ts';

/** Graphs that use every layer kind and block option the templates leave out. */
function optionGraphs(): [string, Graph][] {
  const graphs: [string, Graph][] = [];
  const add = (
    name: string,
    input: [number, number, number],
    layers: [string, Record<string, unknown>?][],
  ) => {
    const b = new GraphBuilder();
    const [channels, height, width] = input;
    b.chain(b.add('Input', { channels, height, width }), layers);
    graphs.push([name, b.graph()]);
  };
  add(
    'padding and pooling',
    [3, 13, 11],
    [
      ['Conv2D', { filters: 4, kernel: 4, padding: 'same', activation: 'leakyRelu' }],
      ['ZeroPadding2D', { padding: [1, 0, 2, 1] }],
      ['AvgPool2D', { kernel: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false }],
      ['MaxPool2D', { kernel: 2, stride: 1, padding: 1, ceilMode: true }],
      ['AdaptiveAvgPool2D', { size: [3, 2] }],
      ['Activation', { fn: 'gelu' }],
      ['Flatten'],
      ['BatchNorm', { eps: 1e-3, momentum: 0.01 }],
      ['Dense', { units: 5, bias: false, activation: 'tanh' }],
      ['Dropout', { rate: 0.3 }],
      ['Output'],
    ],
  );
  add(
    'block options',
    [3, 32, 32],
    [
      ['block:residual', { channels: 8, stride: 2, projection: true, bias: false, shortcutBatchNorm: true }],
      [
        'block:inception',
        {
          c1: 4,
          c2Reduce: 4,
          c2: 4,
          c3Reduce: 2,
          c3: 4,
          c4: 4,
          branch3Kernel: 3,
          batchNorm: true,
          bias: true,
        },
      ],
      ['block:dense', { numConvs: 2, growthRate: 4, bottleneck: true, concatOrder: 'newFirst' }],
      ['block:transition', { ratio: 0.5, eps: 1e-3 }],
      ['block:nin', { channels: 6, kernel: 3, stride: 1, padding: 1 }],
      ['block:vgg', { numConvs: 1, channels: 6 }],
      ['GlobalAvgPool'],
      ['Dense', { units: 3 }],
      ['Output'],
    ],
  );
  add('a feature extractor', [1, 8, 8], [['block:vgg', { numConvs: 2, channels: 4 }], ['Output']]);
  return graphs;
}

const fixture = (name: string): Graph => {
  const parsed = parseGraphFile(readFileSync(join('shared/graph/fixtures', name), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.graph;
};

describe('PyTorch export: model.py', () => {
  it('builds in PyTorch with the output shape, trainable parameters and buffers of the summary, for every template, fixture and option', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-torch-'));
    const cases: [string, Graph][] = [
      ...templates.map((t): [string, Graph] => [t.id, t.build()]),
      [
        'resnet18-torchvision at 1000 classes, colour',
        findTemplate('resnet18-torchvision')!.build({ classes: 1000 }),
      ],
      ['v1-resnet-mini fixture', fixture('v1-resnet-mini.blockwise.json')],
      ['v1-user-block fixture', fixture('v1-user-block.blockwise.json')],
      ...optionGraphs(),
    ];
    const expected = cases.map(([name, graph], i) => {
      const inference = inferShapes(graph);
      expect(
        inference.diagnostics.filter((d) => d.severity === 'error'),
        name,
      ).toEqual([]);
      const code = pytorchModel(graph, inference);
      if (!code.ok) throw new Error(`${name}: ${code.error.message}`);
      const path = join(dir, `model_${i}.py`);
      writeFileSync(path, code.value.code);
      const input = graph.nodes.find((n) => n.type === 'Input')!;
      const output = graph.nodes.find((n) => n.type === 'Output')!;
      const shown = inference.nodes.get(output.id);
      const shape = shown?.status === 'ok' ? [...shown.outputs.get('out')!] : [];
      const { channels, height, width } = input.params as Record<string, number>;
      return {
        name,
        path,
        input: [channels ?? 1, height ?? 28, width ?? 28],
        built: {
          path,
          output: shape,
          trainable: inference.totals.params.trainable,
          buffers: inference.totals.params.nonTrainable,
        },
      };
    });
    writeFileSync(
      join(dir, 'spec.json'),
      JSON.stringify(expected.map(({ path, input }) => ({ path, input }))),
    );
    const { stdout } = await runPython([pythonScript('model_stats.py'), join(dir, 'spec.json')]);
    const measured = jsonLines<{ path: string }>(stdout);
    expect(measured.map((m) => m.path)).toEqual(expected.map((e) => e.path));
    for (const [i, e] of expected.entries()) expect(measured[i], e.name).toEqual(e.built);
  });

  it('gives ResNet-18, DenseNet-121 and GoogLeNet as torchvision defines them PyTorch’s exact counts (1000 classes, 3×224×224)', async () => {
    const { stdout } = await runPython([pythonScript('reference_nets.py')]);
    const references = jsonLines<{ name: string; trainable: number; buffers: number }>(stdout);
    const ours = {
      resnet18: 'resnet18-torchvision',
      densenet121: 'densenet121',
      googlenet: 'googlenet-torchvision',
    };
    expect(references.map((r) => r.name)).toEqual(Object.keys(ours));
    for (const r of references) {
      const template = findTemplate(ours[r.name as keyof typeof ours])!;
      const { trainable, nonTrainable } = inferShapes(template.build({ classes: 1000, channels: 3 })).totals
        .params;
      expect({ trainable, buffers: nonTrainable }, r.name).toEqual({
        trainable: r.trainable,
        buffers: r.buffers,
      });
    }
  });
});
