import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../shared/test/graph-kit.ts';
import { compileGraph } from '../../shared/compile/compile-graph.ts';
import type { Dataset } from '../../shared/data/dataset.ts';
import { pytorchProject } from '../../shared/export/pytorch/project.ts';
import { GraphBuilder } from '../../shared/graph/graph-builder.ts';
import { SeededRandom } from '../../shared/random.ts';
import { inferShapes } from '../../shared/shapes/infer-shapes.ts';
import { findTemplate } from '../../shared/templates/catalogue.ts';
import { trainConfigSchema } from '../../shared/train/train-config.ts';
import { trainModel } from '../../shared/train/train-loop.ts';
import { jsonLines, pythonScript, runPython } from './python-runner.ts';

/** The 004 article's residual_block(in, out, same_shape) as a Residual block's parameters. */
const articleResidual = (out: number, sameShape: boolean) => ({
  channels: out,
  stride: sameShape ? 1 : 2,
  projection: !sameShape,
  // conv3x3 has no bias; the projection (conv3) has one and no BatchNorm.
  bias: false,
  shortcutBias: true,
  reluBeforeAdd: true,
});

function residualNet(input: [number, number, number], out: number, sameShape: boolean, classes = 0) {
  const b = new GraphBuilder();
  const [channels, height, width] = input;
  const block = b.add(
    'block:residual',
    articleResidual(out, sameShape),
    b.add('Input', { channels, height, width }),
  );
  if (classes) b.chain(block, [['GlobalAvgPool'], ['Dense', { units: classes }], ['Output']]);
  return { graph: b.graph(), block };
}

/** Random colour images in three classes, for a few steps that move BatchNorm's statistics off 0 and 1. */
function noise(count: number, seed: number): Dataset['train'] {
  const rng = new SeededRandom(seed);
  return {
    images: Uint8Array.from({ length: count * 3 * 144 }, () => rng.int(256)),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 3),
    count,
  };
}

describe('the 004 article: residual_block', () => {
  it.each([
    [[32, 96, 96], 32, true, [32, 96, 96]],
    [[3, 96, 96], 32, false, [32, 48, 48]],
  ] as const)(
    'residual_block on %j to %i channels (same shape %s) gives %j, as the article prints',
    (input, out, same, shape) => {
      const { graph, block } = residualNet([...input], out, same);
      const result = inferShapes(graph).nodes.get(block.node);
      expect(result?.status === 'ok' ? [...result.outputs.get('out')!] : result).toEqual(shape);
    },
  );

  it("gives the article's own module's outputs, with the exported weights loaded into it by name", async () => {
    const { graph } = residualNet([3, 12, 12], 8, false, 3);
    const compiled = compileGraph(graph);
    if (!compiled.ok) throw new Error(compiled.error.message);
    const data: Dataset = {
      name: 'noise',
      classes: ['a', 'b', 'c'],
      shape: [3, 12, 12],
      train: noise(64, 1),
      test: noise(8, 2),
    };
    const recipe = trainConfigSchema.parse({ epochs: 1, batchSize: 16, lr: 0.01 });
    await trainModel(compiled.value, data, recipe);
    const project = pytorchProject({ graph, name: 'residual', recipe, trained: compiled.value });
    compiled.value.model.dispose();
    if (!project.ok) throw new Error(project.error.message);
    const dir = mkdtempSync(join(tmpdir(), 'bw-004-'));
    for (const [name, content] of Object.entries(project.value)) writeFileSync(join(dir, name), content);
    const block = (ours: string, theirs: string) => [`residual1.${ours}`, `block.${theirs}`];
    const spec = {
      net: 'residual_head',
      args: [3, 8, false, 3],
      input: [3, 12, 12],
      names: Object.fromEntries([
        block('conv2d1', 'conv1'),
        block('batchnorm1', 'bn1'),
        block('conv2d2', 'conv2'),
        block('batchnorm2', 'bn2'),
        block('conv2d3', 'conv3'),
        ['dense1', 'classifier'],
      ]),
    };
    const { stdout } = await runPython([pythonScript('seed_004.py'), JSON.stringify(spec)], { cwd: dir });
    const { maxDifference, ofTolerance } = JSON.parse(stdout) as Record<string, number>;
    expect(ofTolerance, `max difference ${maxDifference}`).toBeLessThanOrEqual(1);
  });
});

/** One block on an input, as the article's print lines run it: the block's output shape. */
function blockShape(type: string, params: Record<string, unknown>, input: [number, number, number]) {
  const b = new GraphBuilder();
  const [channels, height, width] = input;
  const block = b.add(type, params, b.add('Input', { channels, height, width }));
  const result = inferShapes(b.graph()).nodes.get(block.node);
  return result?.status === 'ok' ? [...result.outputs.get('out')!] : result;
}

describe("the 004 and 003 articles' block tests, as they print them", () => {
  // conv_relu: a conv with its bias, BatchNorm with eps 1e-3, ReLU.
  const conv_relu = { batchNorm: true, bias: true, eps: 1e-3 };
  it.each([
    [
      'inception(3, 64, 48, 64, 64, 96, 32)',
      'block:inception',
      { c1: 64, c2Reduce: 48, c2: 64, c3Reduce: 64, c3: 96, c4: 32, ...conv_relu },
      [3, 96, 96],
      [256, 96, 96],
    ],
    [
      'dense_block(3, 12, 3)',
      'block:dense',
      { numConvs: 3, growthRate: 12, concatOrder: 'newFirst' },
      [3, 96, 96],
      [39, 96, 96],
    ],
    ['transition(3, 12)', 'block:transition', { channels: 12 }, [3, 96, 96], [12, 48, 48]],
    ["003's vgg_block(2, 128)", 'block:vgg', { numConvs: 2, channels: 128 }, [3, 16, 16], [128, 8, 8]],
  ] as const)('%s gives the shape the article prints', (_name, type, params, input, shape) => {
    expect(blockShape(type, params, [...input])).toEqual(shape);
  });

  it('vgg_stack((1, 1, 2, 2, 2), ((3, 64), (64, 128), (128, 256), (256, 512), (512, 512))) on 3×256×256 gives 512×8×8', () => {
    const b = new GraphBuilder();
    const stages = (
      [
        [1, 64],
        [1, 128],
        [2, 256],
        [2, 512],
        [2, 512],
      ] as const
    ).map(([numConvs, channels]): ['block:vgg', Record<string, number>] => [
      'block:vgg',
      { numConvs, channels },
    ]);
    const last = b.chain(b.add('Input', { channels: 3, height: 256, width: 256 }), stages);
    const result = inferShapes(b.graph()).nodes.get(last.node);
    expect(result?.status === 'ok' ? [...result.outputs.get('out')!] : result).toEqual([512, 8, 8]);
  });
});

describe("the 004 article's blocks and networks: PyTorch's counts on its own code", () => {
  it('each block and template has the trainable parameters and buffers of the module the article writes', async () => {
    const conv_relu = { batchNorm: true, bias: true, eps: 1e-3 };
    const ours: Record<string, [string, Record<string, unknown>, [number, number, number]]> = {
      'inception(3, 64, 48, 64, 64, 96, 32)': [
        'block:inception',
        { c1: 64, c2Reduce: 48, c2: 64, c3Reduce: 64, c3: 96, c4: 32, ...conv_relu },
        [3, 96, 96],
      ],
      // conv_block: BatchNorm, ReLU, then a bias-free 3×3 conv.
      'dense_block(3, 12, 3)': [
        'block:dense',
        { numConvs: 3, growthRate: 12, bias: false, concatOrder: 'newFirst' },
        [3, 96, 96],
      ],
      'transition(3, 12)': ['block:transition', { channels: 12 }, [3, 96, 96]],
      'residual_block(32, 32)': ['block:residual', articleResidual(32, true), [32, 96, 96]],
      'residual_block(3, 32, False)': ['block:residual', articleResidual(32, false), [3, 96, 96]],
    };
    const { stdout } = await runPython([pythonScript('seed_004.py'), '--counts']);
    const all = jsonLines<{ name: string; trainable: number; buffers: number }>(stdout);
    const nets = {
      'AlexNet()': 'alexnet-004',
      'resnet(3, 10)': 'resnet-004',
      'googlenet(3, 10)': 'googlenet-004',
    };
    expect(all.map((t) => t.name)).toEqual([...Object.keys(ours), ...Object.keys(nets)]);
    // The article's networks, as templates.
    for (const t of all.filter((t) => t.name in nets)) {
      const template = findTemplate(nets[t.name as keyof typeof nets])!;
      const { trainable, nonTrainable } = inferShapes(template.build()).totals.params;
      expect({ trainable, nonTrainable }, t.name).toEqual({
        trainable: t.trainable,
        nonTrainable: t.buffers,
      });
    }
    const theirs = all.filter((t) => t.name in ours);
    for (const t of theirs) {
      const [type, params, input] = ours[t.name]!;
      const b = new GraphBuilder();
      const [channels, height, width] = input;
      const block = b.add(type, params, b.add('Input', { channels, height, width }));
      const result = inferShapes(b.graph()).nodes.get(block.node);
      const counted = result?.status === 'ok' ? result.params : null;
      expect(counted, t.name).toEqual({ trainable: t.trainable, nonTrainable: t.buffers });
    }
  });
});
