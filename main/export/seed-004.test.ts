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
import { trainConfigSchema } from '../../shared/train/train-config.ts';
import { trainModel } from '../../shared/train/train-loop.ts';
import { pythonScript, runPython } from './python-runner.ts';

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
