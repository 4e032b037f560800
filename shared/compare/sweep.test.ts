import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGraphFile } from '../graph/file-format.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { expandSweep, parseSweepAxis, parseSweepValues, sweepableParams } from './sweep.ts';

const vgg = findTemplate('vgg-mini')!.build();

describe('sweep values', () => {
  it('reads lists, ranges and JSON values', () => {
    expect(parseSweepValues('1,2,3')).toEqual({ ok: true, value: [1, 2, 3] });
    expect(parseSweepValues('16..64:16')).toEqual({ ok: true, value: [16, 32, 48, 64] });
    expect(parseSweepValues('0.1..0.3:0.1')).toEqual({ ok: true, value: [0.1, 0.2, 0.3] });
    expect(parseSweepValues('same, valid,true')).toEqual({ ok: true, value: ['same', 'valid', true] });
    expect(parseSweepValues('[3,3],[5,5]')).toEqual({
      ok: true,
      value: [
        [3, 3],
        [5, 5],
      ],
    });
    expect(parseSweepValues(' , ').ok).toBe(false);
    expect(parseSweepValues('9..1').ok).toBe(false);
    expect(parseSweepValues('1..1000').ok).toBe(false);
  });

  it('reads NODE.PARAM=VALUES and says what a bad one should look like', () => {
    expect(parseSweepAxis('vgg2.channels=32,64')).toEqual({
      ok: true,
      value: { node: 'vgg2', param: 'channels', values: [32, 64] },
    });
    expect(parseSweepAxis('channels=32')).toMatchObject({
      ok: false,
      error: expect.stringContaining('NODE.PARAM'),
    });
  });
});

describe('sweep expansion', () => {
  it('makes one variant per combination, the first axis slowest, each named by what it sets', () => {
    const swept = expandSweep(vgg, [
      { node: 'vgg3', param: 'numConvs', values: [1, 2] },
      { node: 'dense1', param: 'units', values: [64, 128, 256] },
    ]);
    if (!swept.ok) throw new Error(swept.error);
    expect(swept.value.map((v) => v.name)).toEqual([
      'vgg3.numConvs=1, dense1.units=64',
      'vgg3.numConvs=1, dense1.units=128',
      'vgg3.numConvs=1, dense1.units=256',
      'vgg3.numConvs=2, dense1.units=64',
      'vgg3.numConvs=2, dense1.units=128',
      'vgg3.numConvs=2, dense1.units=256',
    ]);
    const second = swept.value[1]!.graph;
    expect(second.nodes.find((n) => n.id === 'vgg3')!.params).toEqual({ numConvs: 1, channels: 64 });
    expect(second.nodes.find((n) => n.id === 'dense1')!.params).toEqual({ units: 128, activation: 'relu' });
    // Everything else is the very same object: the sweep copies only what it changes.
    expect(second.nodes.find((n) => n.id === 'vgg1')).toBe(vgg.nodes.find((n) => n.id === 'vgg1'));
    expect(inferShapes(second).totals.params.trainable).toBeLessThan(
      inferShapes(vgg).totals.params.trainable,
    );
  });

  it('sweeps a user block’s exposed parameter on its instance', () => {
    const file = parseGraphFile(
      readFileSync(new URL('../graph/fixtures/v1-user-block.blockwise.json', import.meta.url), 'utf8'),
    );
    if (!file.ok) throw new Error(file.error.message);
    const swept = expandSweep(file.value.graph, [{ node: 'block11', param: 'filters', values: [4, 8] }]);
    if (!swept.ok) throw new Error(swept.error);
    const conv = (i: number) => inferShapes(swept.value[i]!.graph).totals.params.trainable;
    expect(conv(1)).toBeGreaterThan(conv(0));
    expect(expandSweep(file.value.graph, [{ node: 'block11', param: 'kernel', values: [3] }]).ok).toBe(false);
  });

  it('refuses a node or parameter that is not there, naming what is', () => {
    expect(expandSweep(vgg, [{ node: 'vgg9', param: 'channels', values: [1] }])).toMatchObject({
      ok: false,
      error: expect.stringContaining('vgg1, vgg2, vgg3'),
    });
    expect(expandSweep(vgg, [{ node: 'vgg2', param: 'chanels', values: [1] }])).toMatchObject({
      ok: false,
      error: expect.stringContaining('it takes numConvs, channels, repeat'),
    });
    const many = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(
      expandSweep(vgg, [
        { node: 'vgg1', param: 'channels', values: many },
        { node: 'vgg2', param: 'channels', values: many },
      ]),
    ).toMatchObject({ ok: false, error: expect.stringContaining('100 variants') });
  });

  it('refuses a value the node’s kind refuses, saying its bound in words', () => {
    expect(expandSweep(vgg, [{ node: 'vgg2', param: 'channels', values: [64, 0] }])).toEqual({
      ok: false,
      error: 'vgg2.channels = 0: at least 1',
    });
    expect(expandSweep(vgg, [{ node: 'vgg2', param: 'channels', values: [1e20] }])).toEqual({
      ok: false,
      error: 'vgg2.channels = 100000000000000000000: at most 65,536',
    });
  });

  it('sweeps the number of blocks: `repeat` stands a node 0, 1 or more times in series', () => {
    const swept = expandSweep(vgg, [{ node: 'vgg2', param: 'repeat', values: [0, 1, 3] }]);
    if (!swept.ok) throw new Error(swept.error);
    expect(swept.value.map((v) => v.name)).toEqual(['vgg2.repeat=0', 'vgg2.repeat=1', 'vgg2.repeat=3']);
    const [none, one, three] = swept.value.map((v) => v.graph);
    const two = expandSweep(vgg, [{ node: 'vgg2', param: 'repeat', values: [2] }]);
    if (!two.ok) throw new Error(two.error);
    const blocks = (g: typeof vgg) => g.nodes.filter((n) => n.type === 'block:vgg').map((n) => n.id);
    expect(blocks(none!)).toEqual(['vgg1', 'vgg3']);
    expect(one).toEqual(vgg);
    expect(blocks(three!)).toEqual(['vgg1', 'vgg2', 'vgg3', 'vgg2_2', 'vgg2_3']);
    // In series: vgg2 → vgg2_2 → vgg2_3 → vgg3; without it, vgg1 feeds vgg3.
    const feeds = (g: typeof vgg, id: string) => g.edges.filter((e) => e.target === id).map((e) => e.source);
    expect([feeds(three!, 'vgg2_2'), feeds(three!, 'vgg2_3'), feeds(three!, 'vgg3')]).toEqual([
      ['vgg2'],
      ['vgg2_2'],
      ['vgg2_3'],
    ]);
    expect(feeds(none!, 'vgg3')).toEqual(['vgg1']);
    // A copy is one more 32-channel VGG block (3×3×32×32 + 32 weights) that halves the map again: twice
    // fits 28×28, three times leaves vgg3 nothing to pool, which shows at vgg3 as any edit would.
    const inf = inferShapes(two.value[0]!.graph);
    expect(inf.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const copy = inf.nodes.get('vgg2_2')!;
    expect(copy.status === 'ok' && [copy.params.trainable, copy.outputs.get('out')]).toEqual([
      9 * 32 * 32 + 32,
      [32, 3, 3],
    ]);
    const broken = inferShapes(three!).diagnostics.filter((d) => d.severity === 'error');
    expect(broken.map((d) => d.nodeId)).toContain('vgg3');
  });

  it('repeats only a node with one input and one output, and whole counts up to 16', () => {
    const refused = (node: string, values: unknown[]) => {
      const r = expandSweep(vgg, [{ node, param: 'repeat', values }]);
      return r.ok ? '' : r.error;
    };
    expect(refused('input1', [2])).toMatch(/input1 cannot be repeated in series/);
    expect(refused('vgg2', [1.5])).toMatch(/vgg2\.repeat: 1\.5 is not a whole number from 0 to 16/);
    expect(refused('vgg2', [17])).toMatch(/17 is not a whole number/);
    expect(sweepableParams(vgg, 'vgg2')).toEqual(['numConvs', 'channels', 'repeat']);
    expect(sweepableParams(vgg, 'input1')).not.toContain('repeat');
  });
});
