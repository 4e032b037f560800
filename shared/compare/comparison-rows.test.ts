import { sampleRunRecord } from '../train/sample-run-record.ts';
import { describe, expect, it } from 'vitest';
import { graphHash } from '../graph/graph-hash.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { trainConfigSchema } from '../train/train-config.ts';
import type { RunRecord } from '../train/run-record.ts';
import { comparisonEntries } from './comparison-rows.ts';
import { sortRows } from './run-table.ts';
import { staticFigures } from './static-figures.ts';

const vgg = findTemplate('vgg-mini')!.build();
const narrow = {
  ...vgg,
  nodes: vgg.nodes.map((n) => (n.id === 'vgg3' ? { ...n, params: { ...n.params, numConvs: 1 } } : n)),
};

/** A run record of a graph, as training writes it (only what the table reads is not a default). */
function run(name: string, hash: string, accuracy: number, evalAccuracies: number[]): RunRecord {
  return sampleRunRecord({
    graph: { name, hash },
    dataset: { name: 'Fashion-MNIST', classes: [], train: 60_000, test: 10_000 },
    config: trainConfigSchema.parse({ augment: { flip: true, cropPadding: 4 } }),
    backend: 'wasm',
    threads: 2,
    epochs: evalAccuracies.map((evalAccuracy, i) => ({
      epoch: i + 1,
      trainLoss: 1,
      trainAccuracy: 0.5,
      evalLoss: 1,
      evalAccuracy,
      lr: 0.1,
      seconds: 10,
      trainSamplesPerSec: 1000 * (i + 1),
    })),
    test: { loss: 0.3, accuracy, confusion: [], samplesPerSec: 5000 },
    bestEpoch: null,
    seconds: 21,
  });
}

describe('the compare view’s rows', () => {
  const variants = [
    { name: 'two convs', graph: vgg },
    { name: 'one conv', graph: narrow },
  ];

  it('puts each run on the variant it trained, and each untrained variant on a row of its own', () => {
    const entries = comparisonEntries(
      variants,
      [{ id: 'r1', record: run('one conv', graphHash(narrow), 0.9, [0.8, 0.88]) }],
      new Map(),
      16,
    );
    expect(entries.map((e) => [e.key, e.row.name, e.variant])).toEqual([
      ['variant:0', 'two convs', 0],
      ['run:r1', 'one conv', 1],
    ]);
    const figures = staticFigures(narrow, 16);
    expect(entries[1]!.row).toMatchObject({
      ...(figures.ok ? figures.value : {}),
      run: 'r1',
      optimizer: 'sgd',
      augment: 'flip + crop 4',
      backend: 'wasm',
      threads: 2,
      epochs: 2,
      trainSamplesPerSec: 1500,
      inferenceSamplesPerSec: 5000,
      bestEvalAccuracy: 0.88,
      testAccuracy: 0.9,
      seconds: 21,
    });
    expect(entries[0]!.row).toMatchObject({ run: 'not trained', trainable: expect.any(Number) });
    expect(entries[0]!.row['testAccuracy']).toBeUndefined();
  });

  it('marks a run of a variant edited since as earlier, with the figures of the graph it trained', () => {
    const runs = [{ id: 'old', record: run('two convs', 'feedfacefeedface', 0.8, [0.8]) }];
    const entries = comparisonEntries(variants, runs, new Map([['old', narrow]]), 1);
    // Both variants are untrained as they stand.
    expect(entries.map((e) => e.key)).toEqual(['variant:0', 'variant:1', 'run:old']);
    const earlier = entries[2]!;
    expect(earlier).toMatchObject({ row: { name: 'two convs (earlier)' }, variant: null });
    const figures = staticFigures(narrow, 1);
    expect(earlier.row['trainable']).toBe(figures.ok ? figures.value.trainable : NaN);
  });

  it('puts a run on its variant by id: two variants of one design each keep their own runs', () => {
    // A sweep value equal to the current design: the same graph twice.
    const twins = [
      { name: 'base', graph: vgg, id: 'v1' },
      { name: 'base: numConvs=2', graph: vgg, id: 'v2' },
    ];
    const of = (id: string, variant: string) => ({
      id,
      record: {
        ...run('x', graphHash(vgg), 0.9, [0.9]),
        graph: { name: 'x', hash: graphHash(vgg), variant },
      },
    });
    const entries = comparisonEntries(twins, [of('r1', 'v1'), of('r2', 'v2')], new Map(), 1);
    expect(entries.map((e) => [e.key, e.row.name, e.variant])).toEqual([
      ['run:r1', 'base', 0],
      ['run:r2', 'base: numConvs=2', 1],
    ]);
    // Its variant edited since: earlier, under the variant's name now (renamed since, too).
    const edited = [{ name: 'renamed', graph: narrow, id: 'v1' }];
    const earlier = comparisonEntries(edited, [of('r1', 'v1')], new Map(), 1);
    expect(earlier.map((e) => [e.key, e.row.name, e.variant])).toEqual([
      ['variant:0', 'renamed', 0],
      ['run:r1', 'renamed (earlier)', null],
    ]);
  });

  it('sorts by a column either way, empty cells last', () => {
    const rows = [
      { name: 'a', testAccuracy: 0.5 },
      { name: 'b', testAccuracy: '' },
      { name: 'c', testAccuracy: 0.9 },
    ];
    expect(sortRows(rows, 'testAccuracy', true).map((r) => r.name)).toEqual(['c', 'a', 'b']);
    expect(sortRows(rows, 'testAccuracy', false).map((r) => r.name)).toEqual(['a', 'c', 'b']);
    expect(sortRows(rows, 'name', true).map((r) => r.name)).toEqual(['c', 'b', 'a']);
  });
});
