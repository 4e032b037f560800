import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { diagramSvg } from './diagram-svg.ts';

describe('the SVG diagram', () => {
  it('escapes labels, marks nodes with problems, and frames every box', () => {
    const b = new GraphBuilder();
    const x = b.add('Input', { channels: 1, height: 8, width: 8 }, [], 'pixels <raw> & "all"');
    b.chain(x, [['Dense', { units: 4 }], ['Output']]);
    const graph = b.graph();
    const { svg, width, height } = diagramSvg(graph, inferShapes(graph), 'HWC');
    expect(svg).toContain('pixels &lt;raw&gt; &amp; &quot;all&quot; (Input)');
    expect(svg).not.toContain('<raw>');
    expect(svg.match(/class="node problem"/g)).toHaveLength(1);
    expect(svg).toContain('>8×8×1</text>');
    const boxes = [
      ...svg.matchAll(/<rect class="node[^"]*" x="([-\d.]+)" y="([-\d.]+)" width="(\d+)" height="(\d+)"/g),
    ];
    expect(boxes).toHaveLength(3);
    const [minX, minY] = svg
      .match(/viewBox="([-\d.]+) ([-\d.]+)/)!
      .slice(1)
      .map(Number) as [number, number];
    for (const [, bx, by, bw, bh] of boxes) {
      expect(Number(bx)).toBeGreaterThanOrEqual(minX);
      expect(Number(bx) + Number(bw)).toBeLessThanOrEqual(minX + width);
      expect(Number(by) + Number(bh)).toBeLessThanOrEqual(minY + height);
    }
  });

  it('frames a graph drawn far from the origin tightly, with no margin out to (0, 0)', () => {
    const b = new GraphBuilder();
    b.chain(b.add('Input', { channels: 1, height: 8, width: 8 }), [
      ['Flatten'],
      ['Dense', { units: 2 }],
      ['Output'],
    ]);
    const graph = b.graph();
    for (const n of graph.nodes) n.position = { x: n.position.x + 3000, y: n.position.y + 2000 };
    const { svg, width, height } = diagramSvg(graph, inferShapes(graph), 'CHW');
    const [minX, minY] = svg
      .match(/viewBox="([-\d.]+) ([-\d.]+)/)!
      .slice(1)
      .map(Number) as [number, number];
    expect(minX).toBeGreaterThan(2900);
    expect(minY).toBeGreaterThan(1900);
    // Four boxes in one column, 130 apart: the drawing is about that tall and one box wide.
    expect(height).toBeLessThan(4 * 130 + 200);
    expect(width).toBeLessThan(500);
  });
});
