import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor, tidy } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../../shared/test/graph-kit.ts';
import type { NodeParams } from '../../shared/blocks/catalogue.ts';
import { compileGraph, nodeWeights, type CompiledGraph } from '../../shared/compile/compile-graph.ts';
import { pytorchModel } from '../../shared/export/pytorch/model-code.ts';
import { pytorchProject } from '../../shared/export/pytorch/project.ts';
import type { Graph } from '../../shared/graph/document.ts';
import { GraphBuilder, type ChainStep } from '../../shared/graph/graph-builder.ts';
import { kernelBounds } from '../../shared/layers/weight-init.ts';
import { SeededRandom } from '../../shared/random.ts';
import { elementCount } from '../../shared/shape.ts';
import { inferShapes } from '../../shared/shapes/infer-shapes.ts';
import { findTemplate } from '../../shared/templates/catalogue.ts';
import { trainConfigSchema } from '../../shared/train/train-config.ts';
import { jsonLines, pythonScript, runPython } from './python-runner.ts';

type Chw = [number, number, number];

/** The 004 article's residual_block(in, out, same_shape) as a Residual block's parameters. */
const articleResidual = (out: number, sameShape: boolean): NodeParams['block:residual'] => ({
  channels: out,
  stride: sameShape ? 1 : 2,
  projection: !sameShape,
  // conv3x3 has no bias; the projection (conv3) has one and no BatchNorm.
  bias: false,
  shortcutBias: true,
  reluBeforeAdd: true,
});

/** Its conv_relu: a conv with its bias, BatchNorm with eps 1e-3, ReLU. */
const convRelu = { batchNorm: true, bias: true, eps: 1e-3 };

interface ArticleBlock {
  /** Blockwise's nodes for it, one after another. */
  steps: ChainStep<NodeParams>[];
  /** The input the article's own test feeds it, and the shape that test prints. */
  input: Chw;
  prints: Chw;
  /** Where the numerical proof runs it instead, when the printed input is too large for tfjs's CPU backend. */
  proofInput?: Chw;
}

/** The 004 article's blocks as it tests them (seed_004.py's BLOCKS names them the same). */
const ARTICLE_BLOCKS: Record<string, ArticleBlock> = {
  'vgg_stack((1, 1, 2, 2, 2), ((3, 64), (64, 128), (128, 256), (256, 512), (512, 512)))': {
    steps: (
      [
        [1, 64],
        [1, 128],
        [2, 256],
        [2, 512],
        [2, 512],
      ] as const
    ).map(([numConvs, channels]) => ['block:vgg', { numConvs, channels }]),
    input: [3, 256, 256],
    prints: [512, 8, 8],
    // 40 G multiply-adds for four images at 256 on tfjs's CPU backend: the CIFAR-10 images vgg() feeds it.
    proofInput: [3, 32, 32],
  },
  'inception(3, 64, 48, 64, 64, 96, 32)': {
    steps: [['block:inception', { c1: 64, c2Reduce: 48, c2: 64, c3Reduce: 64, c3: 96, c4: 32, ...convRelu }]],
    input: [3, 96, 96],
    prints: [256, 96, 96],
  },
  'residual_block(32, 32)': {
    steps: [['block:residual', articleResidual(32, true)]],
    input: [32, 96, 96],
    prints: [32, 96, 96],
  },
  'residual_block(3, 32, False)': {
    steps: [['block:residual', articleResidual(32, false)]],
    input: [3, 96, 96],
    prints: [32, 48, 48],
  },
  // conv_block: BatchNorm, ReLU, then a bias-free 3×3 conv; torch.cat((out, x)): the new features first.
  'dense_block(3, 12, 3)': {
    steps: [['block:dense', { numConvs: 3, growthRate: 12, bias: false, concatOrder: 'newFirst' }]],
    input: [3, 96, 96],
    prints: [39, 96, 96],
  },
  'transition(3, 12)': {
    steps: [['block:transition', { channels: 12 }]],
    input: [3, 96, 96],
    prints: [12, 48, 48],
  },
};

/** The article's networks (seed_004.py's names) and their templates. */
const ARTICLE_NETS: Record<string, string> = {
  'AlexNet()': 'alexnet-004',
  'vgg()': 'vgg-004',
  'googlenet(3, 10)': 'googlenet-004',
  'resnet(3, 10)': 'resnet-004',
  'densenet(3, 10)': 'densenet-004',
};

/** Input → the steps → Output (which passes a C×H×W tensor as it is): a block under test. */
function blockGraph(steps: readonly ChainStep<NodeParams>[], [channels, height, width]: Chw) {
  const b = new GraphBuilder<NodeParams>();
  const last = b.chain(b.add('Input', { channels, height, width }), steps);
  b.add('Output', {}, last);
  return { graph: b.graph(), last };
}

/** The shape a chain of nodes gives an input, as the article's print lines show it. */
function outputShape(steps: readonly ChainStep<NodeParams>[], input: Chw) {
  const { graph, last } = blockGraph(steps, input);
  const result = inferShapes(graph).nodes.get(last.node);
  return result?.status === 'ok' ? [...result.outputs.get('out')!] : result;
}

describe("the 004 and 003 articles' block tests, as they print them", () => {
  it.each(Object.entries(ARTICLE_BLOCKS))('%s gives the shape the article prints', (_name, block) => {
    expect(outputShape(block.steps, block.input)).toEqual(block.prints);
  });

  it("003's vgg_block(2, 128) on 3×16×16 gives 128×8×8", () => {
    expect(outputShape([['block:vgg', { numConvs: 2, channels: 128 }]], [3, 16, 16])).toEqual([128, 8, 8]);
  });
});

describe("the 004 article's blocks and networks: PyTorch's counts on its own code", () => {
  it('each block and template has the trainable parameters and buffers of the module the article writes', async () => {
    const { stdout } = await runPython([pythonScript('seed_004.py'), '--counts']);
    const all = jsonLines<{ name: string; trainable: number; buffers: number }>(stdout);
    expect(all.map((t) => t.name)).toEqual([...Object.keys(ARTICLE_BLOCKS), ...Object.keys(ARTICLE_NETS)]);
    for (const t of all) {
      const block = ARTICLE_BLOCKS[t.name];
      const graph = block
        ? blockGraph(block.steps, block.input).graph
        : findTemplate(ARTICLE_NETS[t.name]!)!.build();
      const { trainable, nonTrainable } = inferShapes(graph).totals.params;
      expect({ trainable, nonTrainable }, t.name).toEqual({
        trainable: t.trainable,
        nonTrainable: t.buffers,
      });
    }
  });
});

/** Uniform bounds of seeded weights, by role: see seedWeights. */
const SEEDED_BOUNDS: Record<string, (shape: number[]) => [number, number]> = {
  // He's uniform: √6 × PyTorch's 1/√fan_in.
  kernel: (shape) => {
    const bound = Math.sqrt(6) * kernelBounds(shape, 'pytorch').kernel;
    return [-bound, bound];
  },
  bias: () => [-0.1, 0.1],
  gamma: () => [0.5, 1.5],
  beta: () => [-0.5, 0.5],
  moving_mean: () => [-0.5, 0.5],
  moving_variance: () => [0.5, 2],
};

/**
 * Seeded weights on every layer: kernels at He's scale, so activations keep their size through 60 layers and
 * the outputs stay far above the tolerance's absolute 1e-5; BatchNorm's scale, shift and running statistics
 * away from their start, since eval mode uses them all.
 */
function seedWeights(compiled: CompiledGraph, seed: number): void {
  const rng = new SeededRandom(seed);
  for (const node of compiled.inference.flat.order)
    for (const [role, weight] of nodeWeights(compiled, node.id)) {
      const shape = weight.shape as number[];
      const [low, high] = SEEDED_BOUNDS[role]!(shape);
      const values = Float32Array.from(
        { length: elementCount(shape) },
        () => low + (high - low) * rng.next(),
      );
      tidy(() => {
        weight.write(tensor(values, shape));
      });
    }
}

/**
 * Writes a graph's PyTorch project with seeded weights and tfjs's outputs on its saved inputs to `folder`;
 * returns the export's module paths in the order the graph defines its layers (blocks expanded in place).
 */
function exportSeeded(graph: Graph, folder: string): string[] {
  const compiled = compileGraph(graph);
  if (!compiled.ok) throw new Error(compiled.error.message);
  const { inference } = compiled.value;
  try {
    seedWeights(compiled.value, 4);
    const recipe = trainConfigSchema.parse({});
    const project = pytorchProject({ graph, name: 'article', recipe, trained: compiled.value });
    if (!project.ok) throw new Error(project.error.message);
    mkdirSync(folder);
    for (const [name, content] of Object.entries(project.value)) writeFileSync(join(folder, name), content);
  } finally {
    compiled.value.model.dispose();
  }
  const model = pytorchModel(graph, inference);
  if (!model.ok) throw new Error(model.error.message);
  return inference.flat.nodes.flatMap((n) => model.value.modulePaths.get(n.id) ?? []);
}

/** A design, the article's module it should compute (a key of seed_004.py's BLOCKS) and its input. */
interface ArticleCase {
  net: string;
  graph: Graph;
  input: Chw;
}

interface Difference {
  net: string;
  maxDifference: number;
  /** The largest difference as a share of its tolerance, 1e-5 + 1e-4 × |tfjs| (verify.py's). */
  ofTolerance: number;
  /** The largest |output| of tfjs. */
  largest: number;
}

/** Each design exported with seeded weights, loaded into the article's own module: how far it is from tfjs. */
async function differencesFromArticle(cases: ArticleCase[]) {
  const root = mkdtempSync(join(tmpdir(), 'bw-004-'));
  try {
    const specs = cases.map(({ net, graph, input }, i) => {
      const folder = join(root, `case${i}`);
      return { net, folder, input, modules: exportSeeded(graph, folder) };
    });
    writeFileSync(join(root, 'cases.json'), JSON.stringify(specs));
    const { stdout } = await runPython([pythonScript('seed_004.py'), join(root, 'cases.json')]);
    return jsonLines<Difference>(stdout);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Each case's outputs from the article's module are tfjs's, within verify.py's tolerance. */
async function expectArticleOutputs(cases: ArticleCase[]) {
  const differences = await differencesFromArticle(cases);
  expect(differences.map((d) => d.net)).toEqual(cases.map((c) => c.net));
  for (const d of differences) {
    expect.soft(d.ofTolerance, `${d.net}: max difference ${d.maxDifference}`).toBeLessThanOrEqual(1);
    // Outputs this large make the absolute 1e-5 a small part of the tolerance.
    expect.soft(d.largest, d.net).toBeGreaterThan(0.1);
  }
}

// About 20 s of CPU each on tfjs's CPU backend (inception at 96 alone 16 s): minutes on a busy machine.
describe(
  "the 004 article's own modules with Blockwise's exported weights give tfjs's outputs",
  { timeout: 300_000 },
  () => {
    it('for each block, on the input its test feeds it', async () => {
      const cases = Object.entries(ARTICLE_BLOCKS).map(([net, block]) => {
        const input = block.proofInput ?? block.input;
        return { net, graph: blockGraph(block.steps, input).graph, input };
      });
      await expectArticleOutputs(cases);
    });

    it('for each network, on CIFAR-10 images at the size it trains on', async () => {
      const cases = Object.entries(ARTICLE_NETS).map(([net, id]) => {
        const template = findTemplate(id)!;
        return { net, graph: template.build(), input: template.input };
      });
      await expectArticleOutputs(cases);
    });
  },
);
