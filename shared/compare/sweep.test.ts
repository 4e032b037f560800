import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGraphFile } from '../graph/file-format.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { expandSweep, parseSweepAxis, parseSweepValues } from './sweep.ts';

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
      error: expect.stringContaining('its parameters are numConvs, channels'),
    });
    const many = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(
      expandSweep(vgg, [
        { node: 'vgg1', param: 'channels', values: many },
        { node: 'vgg2', param: 'channels', values: many },
      ]),
    ).toMatchObject({ ok: false, error: expect.stringContaining('100 variants') });
  });
});
