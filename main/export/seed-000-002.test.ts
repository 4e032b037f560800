import { describe, expect, it } from 'vitest';
import { formatShape } from '../../shared/shape.ts';
import { inferShapes } from '../../shared/shapes/infer-shapes.ts';
import { summarize } from '../../shared/shapes/summary-table.ts';
import { findTemplate } from '../../shared/templates/catalogue.ts';
import { pythonScript, runPython } from './python-runner.ts';

/** A line of the article's loop: the layer's class, then its output's shape (the batch of 1 first). */
const PRINTED = /^(\w+) output shape:\t torch\.Size\(\[1, ([\d, ]+)\]\)$/;

/** The article's classes as summary calls the same nodes. */
const BLOCKWISE_TYPE: Record<string, string> = { Sequential: 'VGG block', Linear: 'Dense' };

/** Layers the article prints apart and Blockwise fuses into the layer before (a Dense's activation). */
const FUSED = new Set(['ReLU']);

describe("the 000 and 002 articles' VGG-11, printed block by block on 1×224×224", () => {
  it("summary prints the shapes the article's loop prints, in the same order", async () => {
    const { stdout } = await runPython([pythonScript('seed_000_002.py')]);
    const article = stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [, layer, dims] = PRINTED.exec(line) ?? [];
        if (!layer || !dims) throw new Error(`not a line of the article's loop: ${line}`);
        return { layer, shape: dims.split(', ').join('×') };
      })
      .filter(({ layer }) => !FUSED.has(layer))
      .map(({ layer, shape }) => `${BLOCKWISE_TYPE[layer] ?? layer} ${shape}`);
    const graph = findTemplate('vgg11')!.build();
    const rows = summarize(graph, inferShapes(graph))
      .rows.filter((r) => r.type !== 'Input' && r.type !== 'Output')
      .map((r) => `${r.type} ${r.outputs!.map((s) => formatShape(s)).join(', ')}`);
    expect(rows).toEqual(article);
  });
});
