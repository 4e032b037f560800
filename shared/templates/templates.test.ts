import { describe, expect, it } from 'vitest';
import { compileGraph, toChannelsFirst } from '../compile/compile-graph.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { withInputShape } from '../editing/input-shape.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { countWeights } from '../test/graph-kit.ts';
import { templates } from './catalogue.ts';
import { VGG11_ARCH, vggNetwork } from './vgg.ts';

describe.each(templates.map((t) => [t.id, t] as const))('template %s', (_id, template) => {
  it('has no problems, and compiles to a tfjs model with exactly the inferred shapes and counts', () => {
    const graph = template.build();
    const inference = inferShapes(graph);
    expect(inference.diagnostics).toEqual([]);
    const compiled = compileGraph(graph, inference);
    if (!compiled.ok) throw new Error(compiled.error.message);
    const { model } = compiled.value;
    try {
      expect(countWeights(model)).toEqual(inference.totals.params);
      expect(toChannelsFirst(model.inputs[0]!.shape)).toEqual(template.input);
      const output = graph.nodes.find((n) => n.type === 'Output')!;
      const shown = inference.nodes.get(output.id);
      expect(shown?.status === 'ok' && [...shown.outputs.get('out')!]).toEqual(
        toChannelsFirst(model.outputs[0]!.shape),
      );
      // Every layer's compiled output shape is the one the canvas shows.
      for (const node of inference.flat.order) {
        const r = inference.flat.results.get(node.id)!;
        if (r.status !== 'ok' || node.type === 'Input') continue;
        const layer = model.getLayer(node.id.replace(/[^A-Za-z0-9_.-]/g, '_'));
        expect(toChannelsFirst(layer.outputShape as number[]), node.id).toEqual(r.shape);
      }
    } finally {
      model.dispose();
    }
  });
});

const totalParams = (id: string) => {
  const { trainable, nonTrainable } = inferShapes(templates.find((t) => t.id === id)!.build()).totals.params;
  return { trainable, nonTrainable };
};

describe('known facts about the classic networks', () => {
  it('LeNet has 61,706 parameters', () => {
    expect(totalParams('lenet')).toEqual({ trainable: 61_706, nonTrainable: 0 });
  });

  it('VGG-11 on 1×224×224 gives 512×7×7 before Flatten', () => {
    const g = templates.find((t) => t.id === 'vgg11')!.build();
    const inf = inferShapes(g);
    const flatten = g.edges.find((e) => e.target === 'flatten1')!;
    expect(inf.edges.get(flatten.id)).toEqual([512, 7, 7]);
  });

  it('VGG blocks (1,1,2,2,2) with 64-128-256-512-512 channels on 3×256×256 give 512×8×8', () => {
    const g = vggNetwork(VGG11_ARCH, [3, 256, 256]);
    const flatten = g.edges.find((e) => e.target === 'flatten1')!;
    expect(inferShapes(g).edges.get(flatten.id)).toEqual([512, 8, 8]);
    // The same, by changing the input of the template as the CLI's --input does.
    const vgg11 = withInputShape(templates.find((t) => t.id === 'vgg11')!.build(), [3, 256, 256]);
    expect(inferShapes(vgg11).edges.get(flatten.id)).toEqual([512, 8, 8]);
  });

  it('Inception(in 3 → 64, (48, 64), (64, 96), 32) on 3×96×96 gives 256×96×96', () => {
    const b = new GraphBuilder();
    const x = b.add('Input', { channels: 3, height: 96, width: 96 });
    const y = b.add('block:inception', { c1: 64, c2Reduce: 48, c2: 64, c3Reduce: 64, c3: 96, c4: 32 }, x);
    const r = inferShapes(b.graph()).nodes.get(y.node);
    expect(r?.status === 'ok' && [...r.outputs.get('out')!]).toEqual([256, 96, 96]);
  });

  it('DenseNet-121 expands to about 430 layers; ResNet-18 (d2l) has 11.2 M parameters', () => {
    const dense = inferShapes(templates.find((t) => t.id === 'densenet121')!.build());
    expect(dense.flat.nodes.length).toBeGreaterThan(420);
    expect(dense.flat.nodes.length).toBeLessThan(440);
    expect(totalParams('resnet18').trainable).toBe(11_178_378);
  });
});
