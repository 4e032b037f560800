import { describe, expect, it } from 'vitest';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { chainGraph } from '../test/graph-kit.ts';
import { dataFit } from './data-fit.ts';

const fashionMnist = { shape: [1, 28, 28] as const, classes: 10 };
const fit = (graph: ReturnType<typeof chainGraph>) => dataFit(graph, inferShapes(graph), fashionMnist);

describe('how a network fits the data, before training', () => {
  it('LeNet fits Fashion-MNIST as it is; VGG-11 needs a resize to 224', () => {
    expect(fit(findTemplate('lenet')!.build())).toEqual({ resize: null, problems: [] });
    expect(fit(findTemplate('vgg11')!.build())).toEqual({ resize: 224, problems: [] });
  });

  it('pins a wrong channel count at the Input and a wrong class count at the Output', () => {
    const graph = chainGraph([2, 28, 28], [['Flatten'], ['Dense', { units: 128 }], ['Output']]);
    const { problems } = fit(graph);
    expect(problems.map((p) => [p.nodeId, p.message])).toEqual([
      ['input1', expect.stringMatching(/wants 2 channel\(s\); the data has 1/)],
      ['output1', expect.stringMatching(/gives 128 class scores; the data has 10 classes.*to 10/)],
    ]);
  });

  it('takes grey data for a 3-channel network (channels are replicated)', () => {
    const graph = chainGraph([3, 28, 28], [['Flatten'], ['Dense', { units: 10 }], ['Output']]);
    expect(fit(graph)).toEqual({ resize: null, problems: [] });
  });
});
