import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { applyCommand } from '../graph/commands.ts';
import { tidyLayout } from '../layout/tidy-layout.ts';
import { templates } from '../templates/catalogue.ts';
import { diagramSvg } from './diagram-svg.ts';

const numbers = (text: string) => text.split(/[ ,]+/).map(Number);

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

  it.each(templates.map((t) => [t.id, t] as const))(
    '%s laid out: no two boxes overlap, and every wire with its bends and label lies inside the drawing',
    (_, template) => {
      const built = template.build();
      const graph = applyCommand(built, tidyLayout(built)).graph;
      const { svg, width, height } = diagramSvg(graph, inferShapes(graph));
      const [left, top] = numbers(svg.match(/viewBox="([^"]+)"/)![1]!) as [number, number];
      const inside = (x: number, y: number) =>
        x >= left && x <= left + width && y >= top && y <= top + height;
      const boxes = [
        ...svg.matchAll(/<rect class="node[^"]*" x="([-\d.]+)" y="([-\d.]+)" width="(\d+)" height="(\d+)"/g),
      ].map((m) => numbers(`${m[1]} ${m[2]} ${m[3]} ${m[4]}`) as [number, number, number, number]);
      expect(boxes).toHaveLength(graph.nodes.length);
      boxes.forEach(([x, y, w, h], i) => {
        expect(inside(x, y) && inside(x + w, y + h)).toBe(true);
        for (const [x2, y2, w2, h2] of boxes.slice(i + 1))
          expect(x < x2 + w2 && x2 < x + w && y < y2 + h2 && y2 < y + h).toBe(false);
      });
      const paths = [...svg.matchAll(/<path class="edge" d="M([^C]+) C([^"]+)"/g)];
      expect(paths).toHaveLength(graph.edges.length);
      for (const [, start, rest] of paths) {
        const points = numbers(`${start} ${rest}`);
        for (let i = 0; i < points.length; i += 2) expect(inside(points[i]!, points[i + 1]!)).toBe(true);
      }
    },
  );
});
