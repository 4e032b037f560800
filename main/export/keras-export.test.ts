import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kerasScript } from '../../shared/export/keras/keras-script.ts';
import { graphFile, serializeGraphFile } from '../../shared/graph/file-format.ts';
import { GraphBuilder } from '../../shared/graph/graph-builder.ts';
import { findTemplate } from '../../shared/templates/catalogue.ts';
import { runCli } from '../cli/cli.ts';
import type { CliIo } from '../cli/command-kit.ts';
import { nodeFileSystem } from '../services/file-system.ts';
import { inferShapes } from '../../shared/shapes/infer-shapes.ts';
import { exportCases } from './export-cases.ts';
import { jsonLines, pythonScript, runPython } from './python-runner.ts';

/**
 * No Keras 3 can be installed here (Debian has none; PyPI is out of reach), so each script is built against
 * main/export/python/keras_stub: a stand-in that computes the model's shapes and weights by Keras's rules and
 * refuses unknown arguments. What this proves: every script is valid Python, wires every layer, passes only
 * arguments Keras takes, and gives the output shape and the parameter counts of Blockwise's summary.
 */
describe('Keras export', () => {
  it('builds, for every template, fixture and option that Keras can express, with the summary’s shape and counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-keras-'));
    const scripts: {
      name: string;
      path: string;
      output: number[];
      trainable: number;
      nonTrainable: number;
    }[] = [];
    const refused: string[] = [];
    for (const [name, graph] of exportCases()) {
      const script = kerasScript(graph, name);
      if (!script.ok) {
        refused.push(`${name}: ${script.error.message}`);
        continue;
      }
      const path = join(dir, `${scripts.length}.py`);
      writeFileSync(path, script.value);
      const inference = inferShapes(graph);
      const outputNode = graph.nodes.find((n) => n.type === 'Output')!;
      const feeding = graph.edges.find((e) => e.target === outputNode.id)!;
      const shape = inference.edges.get(feeding.id)!;
      scripts.push({
        name,
        path,
        output: shape.length === 3 ? [shape[1]!, shape[2]!, shape[0]!] : [...shape],
        ...inference.totals.params,
      });
    }
    // Only what Keras has no layer for is refused: a mean that leaves uneven padding out, adaptive pooling
    // to a size that does not divide the input.
    expect(refused).toEqual([
      expect.stringMatching(
        /^padding and pooling: \w+: Keras has no average pooling that leaves this padding out/,
      ),
    ]);
    const runner = pythonScript('keras_stub/run_scripts.py');
    const { stdout } = await runPython([runner, ...scripts.map((s) => s.path)]);
    const results = jsonLines<{ output: number[]; trainable: number; nonTrainable: number }>(stdout);
    expect(results).toHaveLength(scripts.length);
    results.forEach((r, i) => {
      const { name, path: _path, ...want } = scripts[i]!;
      expect(r, name).toEqual(want);
    });
  });

  it('names the node Keras cannot express, and writes −∞ padding for max pooling as a layer of its own', () => {
    const b = new GraphBuilder();
    b.chain(b.add('Input', { channels: 1, height: 7, width: 7 }), [
      ['MaxPool2D', { kernel: 3, stride: 2, padding: 1 }],
      ['AdaptiveAvgPool2D', { size: 3 }],
      ['Flatten'],
      ['Dense', { units: 2 }],
      ['Output'],
    ]);
    const refused = kerasScript(b.graph(), 'net');
    expect(refused).toEqual({
      ok: false,
      error: {
        nodeId: 'adaptiveavgpool2d1',
        message: expect.stringContaining('4×4 is not a multiple of 3×3'),
      },
    });
    const c = new GraphBuilder();
    c.chain(c.add('Input', { channels: 1, height: 7, width: 7 }), [
      ['MaxPool2D', { kernel: 3, stride: 2, padding: 1 }],
      ['Flatten'],
      ['Dense', { units: 2 }],
      ['Output'],
    ]);
    const script = kerasScript(c.graph(), 'net');
    if (!script.ok) throw new Error(script.error.message);
    expect(script.value).toContain('class NegInfPadding2D(layers.Layer):');
    expect(script.value).toContain(
      'maxpool2d1_1 = NegInfPadding2D(((1, 1), (1, 1)), name="maxpool2d1_1")(input1)',
    );
    expect(script.value).toContain(
      'maxpool2d1 = layers.MaxPooling2D(pool_size=(3, 3), strides=(2, 2), name="maxpool2d1")(maxpool2d1_1)  # 4×4×1',
    );
  });

  it('blockwise export --to keras writes the script, and with --run the run’s graph and its tfjs artifacts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-keras-cli-'));
    const run = join(dir, 'run');
    mkdirSync(run);
    const graph = findTemplate('vgg-mini')!.build();
    writeFileSync(join(run, 'graph.blockwise.json'), serializeGraphFile(graphFile(graph, 'VGG-mini')));
    writeFileSync(join(run, 'run.json'), '{"format": "blockwise/run"}');
    writeFileSync(join(run, 'model.json'), '{"format": "layers-model"}');
    writeFileSync(join(run, 'weights.bin'), Uint8Array.of(1, 2, 3));
    const io = cliIo();
    const out = join(dir, 'keras');
    expect(await runCli(['export', 'template:lenet', '--to', 'keras', '--out', out, '--run', run], io)).toBe(
      0,
    );
    expect(readdirSync(out).sort()).toEqual(['model.json', 'model_keras.py', 'weights.bin']);
    expect(readFileSync(join(out, 'model_keras.py'), 'utf8')).toContain('name="vgg3_conv2d2"');
    expect([...readFileSync(join(out, 'weights.bin'))]).toEqual([1, 2, 3]);
    const plain = cliIo();
    expect(
      await runCli(['export', 'template:lenet', '--to', 'keras', '--out', join(dir, 'lenet')], plain),
    ).toBe(0);
    const { stdout } = await runPython([
      pythonScript('keras_stub/run_scripts.py'),
      join(dir, 'lenet', 'model_keras.py'),
    ]);
    expect(jsonLines(stdout)).toEqual([{ output: [10], trainable: 61706, nonTrainable: 0 }]);
  });
});

function cliIo(): CliIo {
  return { out: () => undefined, err: () => undefined, progress: null, fs: nodeFileSystem };
}
