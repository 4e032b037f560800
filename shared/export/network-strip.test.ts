import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { networkStrip, stripColours } from './network-strip.ts';

interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  title: string;
}

const barsOf = (svg: string): Bar[] =>
  [
    ...svg.matchAll(
      /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" rx="2" fill="([^"]+)"><title>([^<]*)<\/title>/g,
    ),
  ].map(([, x, y, width, height, fill, title]) => ({
    x: Number(x),
    y: Number(y),
    width: Number(width),
    height: Number(height),
    fill: fill!,
    title: title!,
  }));

const stripOf = (id: string) => {
  const graph = findTemplate(id)!.build();
  return { graph, ...networkStrip(graph, inferShapes(graph)) };
};

describe('the network strip', () => {
  it('draws LeNet as one bar per node, left to right in the order data flows, coloured by kind', () => {
    const { svg, width, height } = stripOf('lenet');
    const bars = barsOf(svg);
    expect(bars.map((b) => b.title.split(' →')[0])).toEqual([
      'Input',
      'Conv2D',
      'AvgPool2D',
      'Conv2D',
      'AvgPool2D',
      'Flatten',
      'Dense',
      'Dense',
      'Dense',
      'Output',
    ]);
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.x).toBeGreaterThan(bars[i - 1]!.x);
    expect(bars[1]!.fill).toBe(stripColours.convolution);
    expect(bars[2]!.fill).toBe(stripColours.pooling);
    expect(bars[6]!.fill).toBe(stripColours.dense);
    expect(bars[0]!.title).toBe('Input → 1×28×28');
    // As tall as the image is large: 28 at the input and the first conv, smaller after each pooling.
    expect(bars[1]!.height).toBe(bars[0]!.height);
    expect(bars[2]!.height).toBeLessThan(bars[1]!.height);
    expect(bars[4]!.height).toBeLessThan(bars[3]!.height);
    // Vectors are short bars (at most about half the input's), all inside the drawing.
    expect(Math.max(...bars.slice(5).map((b) => b.height))).toBeLessThanOrEqual(bars[0]!.height * 0.6);
    for (const b of bars) {
      expect(b.x + b.width).toBeLessThanOrEqual(width);
      expect(b.y + b.height).toBeLessThanOrEqual(height);
    }
    expect(svg).toContain(`viewBox="0 0 ${width} ${height}"`);
  });

  it('draws a block as one wider bar of its own colour', () => {
    const bars = barsOf(stripOf('vgg11').svg);
    const blocks = bars.filter((b) => b.fill === stripColours.block);
    expect(blocks.map((b) => b.title)).toEqual([
      'VGG block → 64×112×112',
      'VGG block → 128×56×56',
      'VGG block → 256×28×28',
      'VGG block → 512×14×14',
      'VGG block → 512×7×7',
    ]);
    expect(blocks[0]!.width).toBeGreaterThan(bars[0]!.width);
  });

  it('stacks branches that run side by side in one column, and escapes names', () => {
    const b = new GraphBuilder();
    const x = b.add('Input', { channels: 1, height: 8, width: 8 }, [], 'pixels <raw> & "all"');
    const left = b.add('Conv2D', { filters: 2, kernel: 3, padding: 1 }, x);
    const right = b.add('Conv2D', { filters: 2, kernel: 1 }, x);
    b.chain(b.add('Add', {}, [left, right]), [['Flatten'], ['Dense', { units: 2 }], ['Output']]);
    const graph = b.graph();
    const { svg } = networkStrip(graph, inferShapes(graph));
    const bars = barsOf(svg);
    expect(bars).toHaveLength(7);
    const [, conv1, conv2, add] = bars;
    expect(conv1!.x).toBe(conv2!.x);
    expect(conv2!.y).toBeGreaterThan(conv1!.y);
    expect(add!.x).toBeGreaterThan(conv1!.x);
    expect(add!.fill).toBe(stripColours.merge);
    expect(svg).toContain('pixels &lt;raw&gt; &amp; &quot;all&quot; → 1×8×8');
  });

  it('draws an empty graph as an empty picture', () => {
    const graph = { nodes: [], edges: [], blocks: [] };
    expect(barsOf(networkStrip(graph, inferShapes(graph)).svg)).toEqual([]);
  });
});
