import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../graph/graph-builder.ts';
import { findTemplate } from '../../templates/catalogue.ts';
import { withTorchNames } from '../../templates/torch-names.ts';
import { pytorchModel } from './model-code.ts';

const modulePaths = (graph: Parameters<typeof pytorchModel>[0]) => {
  const model = pytorchModel(graph);
  if (!model.ok) throw new Error(model.error.message);
  return model.value;
};

describe('model.py lists modules in the graph’s own order', () => {
  it('a Residual block: its main path, then its shortcut, as the block lists them (not breadth-first)', () => {
    const { modulePaths: paths } = modulePaths(findTemplate('resnet-mini')!.build());
    const block = [...paths].filter(([id]) => id.startsWith('residual2/')).map(([, path]) => path);
    expect(block).toEqual([
      'residual2.conv2d1',
      'residual2.batchnorm1',
      'residual2.conv2d2',
      'residual2.batchnorm2',
      'residual2.conv2d3',
    ]);
  });

  it('branches in the order the graph lists them, each after what feeds it', () => {
    const b = new GraphBuilder();
    const x = b.add('Input', { channels: 1, height: 8, width: 8 });
    const left = b.chain(x, [
      ['Conv2D', { filters: 2, kernel: 1 }],
      ['BatchNorm', {}],
    ]);
    const right = b.add('Conv2D', { filters: 2, kernel: 1 }, x);
    b.chain(b.add('Add', { inputs: 2 }, [left, right]), [['Flatten'], ['Dense', { units: 3 }], ['Output']]);
    const { code, modulePaths: paths } = modulePaths(b.graph());
    expect([...paths.values()]).toEqual(['conv2d1', 'batchnorm1', 'conv2d2', 'dense1']);
    expect(code.indexOf('self.batchnorm1 =')).toBeLessThan(code.indexOf('self.conv2d2 ='));
  });
});

describe('torch names', () => {
  it('put a dotted name in ModuleDicts and name the forward variable after it', () => {
    const { code, modulePaths: paths } = modulePaths(findTemplate('resnet18-torchvision')!.build());
    expect(paths.get('residual3/conv2d3')).toBe('layer2.0.downsample.0');
    expect(code).toContain("self.layer2 = nn.ModuleDict()\n        self.layer2['0'] = Residual");
    expect(code).toMatch(/layer2_0 = self\.layer2\['0'\]\(layer1_1\)/);
  });

  it('fall back to the id where a name is taken or would sit inside another module', () => {
    const b = new GraphBuilder();
    const x = b.add('Input', { channels: 1, height: 4, width: 4 });
    b.chain(x, [
      ['Flatten'],
      ['Dense', { units: 3 }],
      ['Dense', { units: 3 }],
      ['Dense', { units: 2 }],
      ['Output'],
    ]);
    const graph = withTorchNames(b.graph(), { Dense: ['fc', 'fc', 'fc.0'] });
    expect([...modulePaths(graph).modulePaths.values()]).toEqual(['fc', 'dense2', 'dense3']);
  });
});
