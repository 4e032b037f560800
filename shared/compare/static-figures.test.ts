import { describe, expect, it } from 'vitest';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { comparisonCsv, differingColumns, tableColumns } from './run-table.ts';
import { staticFigures, type ComparisonRow } from './static-figures.ts';

describe('static comparison figures', () => {
  it('are the summary’s: counts apart, FLOPs, activations for the batch, weight bytes', () => {
    const graph = findTemplate('resnet-mini')!.build();
    const { totals } = inferShapes(graph);
    expect(staticFigures(graph, 64)).toEqual({
      ok: true,
      value: {
        trainable: totals.params.trainable,
        nonTrainable: totals.params.nonTrainable,
        flops: totals.flops,
        activationBytes: 64 * totals.memoryBytes,
        weightBytes: 4 * (totals.params.trainable + totals.params.nonTrainable),
      },
    });
    const broken = findTemplate('lenet')!.build();
    broken.edges.pop();
    expect(staticFigures(broken, 1)).toMatchObject({ ok: false, error: expect.stringMatching(/^output1: /) });
  });

  it('shows only the columns that differ, and writes CSV quoting what needs it', () => {
    const rows = [
      { name: 'VGG, 3 blocks', flops: 10, trainable: 5 },
      { name: 'VGG "wide"', flops: 20, trainable: 5 },
    ];
    expect(differingColumns(rows)).toEqual(['name', 'flops']);
    // Columns in the table’s order (trainable before FLOPs), whatever order a row’s keys came in.
    expect(comparisonCsv(rows)).toBe('name,trainable,flops\n"VGG, 3 blocks",5,10\n"VGG ""wide""",5,20\n');
  });

  it('shows a column only a later row has (a speed measured for it alone), in the table’s order', () => {
    const rows: ComparisonRow[] = [
      { name: 'a', trainable: 5, flops: 10 },
      { name: 'b', inferenceSamplesPerSec: 900, trainable: 5, flops: 10 },
    ];
    expect(tableColumns(rows)).toEqual(['name', 'trainable', 'flops', 'inferenceSamplesPerSec']);
    expect(differingColumns(rows)).toEqual(['name', 'inferenceSamplesPerSec']);
    expect(comparisonCsv(rows)).toBe('name,trainable,flops,inferenceSamplesPerSec\na,5,10,\nb,5,10,900\n');
  });
});
