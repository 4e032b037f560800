import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Graph } from '../../shared/graph/document.ts';
import { parseDesignFile } from '../../shared/blocks/design-file.ts';
import type { NodeParams } from '../../shared/blocks/catalogue.ts';
import { GraphBuilder, type ChainStep } from '../../shared/graph/graph-builder.ts';
import { findTemplate, templates } from '../../shared/templates/catalogue.ts';

/** The graphs every code export is checked on: each template, the fixtures, and every layer and block option. */

/** Graphs that use every layer kind and block option the templates leave out. */
export function optionGraphs(): [string, Graph][] {
  const graphs: [string, Graph][] = [];
  const add = (name: string, input: [number, number, number], layers: ChainStep<NodeParams>[]) => {
    const b = new GraphBuilder<NodeParams>();
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

/** A graph file of shared/graph/fixtures. */
export const fixture = (name: string): Graph => {
  const parsed = parseDesignFile(readFileSync(join('shared/graph/fixtures', name), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.graph;
};

export function exportCases(): [string, Graph][] {
  return [
    ...templates.map((t): [string, Graph] => [t.id, t.build()]),
    [
      'resnet18-torchvision at 1000 classes, colour',
      findTemplate('resnet18-torchvision')!.build({ classes: 1000 }),
    ],
    ['v1-resnet-mini fixture', fixture('v1-resnet-mini.blockwise.json')],
    ['v1-user-block fixture', fixture('v1-user-block.blockwise.json')],
    ...optionGraphs(),
  ];
}
