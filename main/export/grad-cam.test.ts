import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { setBackend, tensor4d } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph, type CompiledGraph } from '../../shared/compile/compile-graph.ts';
import { pytorchProject } from '../../shared/export/pytorch/project.ts';
import { gradCam, saliency } from '../../shared/inspect/grad-cam.ts';
import { headModel } from '../../shared/inspect/head-model.ts';
import { SeededRandom } from '../../shared/random.ts';
import { findTemplate } from '../../shared/templates/catalogue.ts';
import { trainConfigSchema } from '../../shared/train/train-config.ts';
import { jsonLines, pythonScript, runPython } from './python-runner.ts';

/** ResNet-mini: residual joins, so most layers are read around and only block outputs have a head. */
function resnetMini(): CompiledGraph {
  const compiled = compileGraph(findTemplate('resnet-mini')!.build());
  if (!compiled.ok) throw new Error(compiled.error.message);
  return compiled.value;
}

function randomImage(): Float32Array {
  const random = new SeededRandom(7);
  return Float32Array.from({ length: 28 * 28 }, () => random.next());
}

describe('Grad-CAM', () => {
  beforeAll(async () => void (await setBackend('cpu')));

  it('weighs the last block every path passes through, and refuses a layer the residual join reads around', () => {
    const compiled = resnetMini();
    const cam = gradCam(compiled, tensor4d(randomImage(), [1, 28, 28, 1]));
    expect(cam.ok && cam.value.nodeId).toBe('residual3/activation2');
    const inside = headModel(compiled, 'residual3/batchnorm2');
    expect(inside.ok).toBe(false);
    expect(!inside.ok && inside.error).toMatch(/reads around it .*residual3/);
    // A second explanation of the same model builds its head again (the layers are called once more).
    expect(gradCam(compiled, tensor4d(randomImage(), [1, 28, 28, 1]), { classIndex: 3 }).ok).toBe(true);
    expect(gradCam(compiled, tensor4d(randomImage(), [1, 28, 28, 1]), { classIndex: 10 })).toEqual({
      ok: false,
      error: "class 10 is not one of the network's 10 classes (0 to 9)",
    });
  });

  it('equals PyTorch’s on the exported model with the same weights', async () => {
    const compiled = resnetMini();
    const pixels = randomImage();
    const ours = gradCam(compiled, tensor4d(pixels, [1, 28, 28, 1]), { classIndex: 4 });
    if (!ours.ok) throw new Error(ours.error);
    const project = pytorchProject({
      graph: findTemplate('resnet-mini')!.build(),
      name: 'resnet-mini',
      recipe: trainConfigSchema.parse({}),
      trained: compiled,
    });
    if (!project.ok) throw new Error(project.error.message);
    const dir = mkdtempSync(join(tmpdir(), 'bw-grad-cam-'));
    for (const [name, content] of Object.entries(project.value)) writeFileSync(join(dir, name), content);
    writeFileSync(join(dir, 'image.bin'), pixels);
    const { stdout } = await runPython([
      pythonScript('grad_cam.py'),
      ...[dir, 'residual3', join(dir, 'image.bin'), '1', '28', '28', '4'],
    ]);
    const [theirs] = jsonLines(stdout) as { cam: number[]; probabilities: number[] }[];
    expect(ours.value.cam.values.length).toBe(7 * 7);
    const largest = Math.max(...theirs!.cam);
    expect(largest).toBeGreaterThan(0);
    ours.value.cam.values.forEach((v, i) =>
      expect(Math.abs(v - theirs!.cam[i]!)).toBeLessThan(1e-4 * largest + 1e-5),
    );
    ours.value.probabilities.forEach((p, i) => expect(p).toBeCloseTo(theirs!.probabilities[i]!, 5));
  });

  it('saliency is the gradient of the class score at each pixel', () => {
    const compiled = resnetMini();
    const map = saliency(compiled, tensor4d(randomImage(), [1, 28, 28, 1]), 2);
    expect([map.height, map.width]).toEqual([28, 28]);
    expect(Math.max(...map.values)).toBeGreaterThan(0);
  });
});
