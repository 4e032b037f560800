import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pytorchModel } from '../../shared/export/pytorch/model-code.ts';
import { pytorchProject } from '../../shared/export/pytorch/project.ts';
import { loadTorchStateDict } from '../../shared/export/pytorch/state-dict-import.ts';
import { compileGraph } from '../../shared/compile/compile-graph.ts';
import type { Dataset } from '../../shared/data/dataset.ts';
import { SeededRandom } from '../../shared/random.ts';
import { GraphBuilder } from '../../shared/graph/graph-builder.ts';
import { trainModel } from '../../shared/train/train-loop.ts';
import { randomUniform, type Tensor } from '@tensorflow/tfjs-core';
import '../../shared/test/graph-kit.ts';
import { readStateDictFile } from './state-dict-file.ts';
import { trainConfigSchema } from '../../shared/train/train-config.ts';
import type { Graph } from '../../shared/graph/document.ts';
import { findTemplate } from '../../shared/templates/catalogue.ts';
import { pythonScript, runPython } from './python-runner.ts';

/** A torchvision template at 10 classes on a small colour input (their pooling adapts to it, as torchvision's). */
function smallTemplate(id: string, size: number): Graph {
  const graph = findTemplate(id)!.build({ classes: 10, channels: 3 });
  const nodes = graph.nodes.map((n) =>
    n.type === 'Input' ? { ...n, params: { ...n.params, height: size, width: size } } : n,
  );
  return { ...graph, nodes };
}

/** reference_nets.py's check: its module's state_dict into the exported Net (strict), and both nets' logits. */
async function checkAgainstReference(reference: string, graph: Graph, size: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bw-torchvision-'));
  const code = pytorchModel(graph);
  if (!code.ok) throw new Error(code.error.message);
  writeFileSync(join(dir, 'model.py'), code.value.code);
  const args = ['check', reference, join(dir, 'model.py'), '10', '3', String(size), String(size), dir];
  const { stdout } = await runPython([pythonScript('reference_nets.py'), ...args]);
  return { dir, ...(JSON.parse(stdout) as { names: string[]; ofTolerance: number; maxDifference: number }) };
}

describe('torchvision templates export with torchvision’s state_dict names', () => {
  it.each([
    ['resnet18', 'resnet18-torchvision', 64, 'layer1.0.conv1.weight'],
    ['googlenet', 'googlenet-torchvision', 64, 'inception3a.branch1.conv.weight'],
    ['densenet121', 'densenet121', 64, 'features.denseblock1.denselayer1.norm1.weight'],
    ['vgg16', 'vgg16-torchvision', 32, 'classifier.6.weight'],
  ])(
    '%s: a state_dict of the reference module loads with strict=True and gives its logits',
    async (reference, template, size, name) => {
      const { names, ofTolerance, maxDifference } = await checkAgainstReference(
        reference,
        smallTemplate(template, size),
        size,
      );
      expect(names).toContain(name);
      expect(ofTolerance, `max difference ${maxDifference}`).toBeLessThanOrEqual(1);
    },
  );
});

describe('the name map beside the model', () => {
  it('names.json gives each module’s state_dict prefix and its node, in the graph’s order', () => {
    const graph = findTemplate('resnet18-torchvision')!.build();
    const recipe = trainConfigSchema.parse({});
    const project = pytorchProject({ graph, name: 'resnet', recipe });
    if (!project.ok) throw new Error(project.error.message);
    const names = JSON.parse(project.value['names.json'] as string) as { module: string; node: string }[];
    expect(names.slice(0, 4)).toEqual([
      { module: 'conv1', node: 'conv2d1' },
      { module: 'bn1', node: 'batchnorm1' },
      { module: 'maxpool', node: 'maxpool2d1' },
      { module: 'layer1.0.conv1', node: 'residual1/conv2d1' },
    ]);
    expect(names.at(-1)).toEqual({ module: 'fc', node: 'dense1' });
  });
});

/** Noise images of 1×8×8 in 3 classes. */
function noise(count: number, seed: number): Dataset['train'] {
  const rng = new SeededRandom(seed);
  const images = Uint8Array.from({ length: count * 64 }, () => rng.int(256));
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 3), count };
}

/** A small net with a block's branches, BatchNorm and a Dense after a Flatten. */
function branchedNet(): Graph {
  const b = new GraphBuilder();
  b.chain(b.add('Input', { channels: 1, height: 8, width: 8 }), [
    ['Conv2D', { filters: 4, kernel: 3, padding: 1 }],
    ['block:residual', { channels: 6, stride: 2, projection: true }],
    ['Flatten'],
    ['Dense', { units: 3 }],
    ['Output'],
  ]);
  return b.graph();
}

describe('a round trip through a .pth file', () => {
  it('trains 2 batches, exports, saves the state_dict as .pth in PyTorch, imports it: the same logits', async () => {
    const graph = branchedNet();
    const trained = compileGraph(graph);
    if (!trained.ok) throw new Error(trained.error.message);
    const classes = ['a', 'b', 'c'];
    const data: Dataset = {
      name: 'noise',
      classes,
      shape: [1, 8, 8],
      train: noise(32, 1),
      test: noise(8, 2),
    };
    const recipe = trainConfigSchema.parse({ epochs: 1, batchSize: 16, maxBatchesPerEpoch: 2, lr: 0.05 });
    await trainModel(trained.value, data, recipe);
    const project = pytorchProject({ graph, name: 'resnet', recipe, trained: trained.value });
    if (!project.ok) throw new Error(project.error.message);
    const dir = mkdtempSync(join(tmpdir(), 'bw-pth-'));
    for (const [name, content] of Object.entries(project.value)) writeFileSync(join(dir, name), content);
    const save =
      'import torch; from model import Net, load_weights; torch.save(load_weights(Net()).state_dict(), "x.pth")';
    await runPython(['-c', save], { cwd: dir });
    const state = await readStateDictFile(join(dir, 'x.pth'));
    if (!state.ok) throw new Error(state.error);
    const imported = compileGraph(graph);
    if (!imported.ok) throw new Error(imported.error.message);
    expect(loadTorchStateDict(graph, imported.value, state.value)).toMatchObject({ ok: true });
    const x = randomUniform([2, 8, 8, 1], 0, 1, 'float32', 4);
    const logits = (m: typeof trained.value) => Array.from((m.logitsModel.predict(x) as Tensor).dataSync());
    expect(logits(imported.value)).toEqual(logits(trained.value));
  }, 120_000);
});
