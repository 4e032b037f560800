import { describe, expect, it } from 'vitest';
import { tradeOffChart, type ChartPoint } from './trade-off-chart.ts';

const points: ChartPoint[] = [
  { id: 'a', name: 'VGG <3 blocks>', x: 900, y: 0.88, size: 1e6 },
  { id: 'b', name: 'VGG 5 blocks', x: 400, y: 0.92, size: 4e6 },
  { id: 'c', name: 'VGG 4 blocks', x: 500, y: 0.87, size: 2e6 },
  { id: 'd', name: 'untrained', x: NaN, y: NaN, size: 2e6 },
];
const options = { xLabel: 'inference samples/s', yLabel: 'test accuracy', sizeLabel: 'weight memory' };

const circles = (svg: string) => [...svg.matchAll(/data-id="(\w+)"[^]*?<circle [^>]*r="([\d.]+)"/g)];

describe('the trade-off chart', () => {
  it('draws each point with a title, its id, an area for its size, and the front through the best', () => {
    const chart = tradeOffChart(points, options);
    expect(chart.front).toEqual(['b', 'a']);
    expect(chart.missing).toEqual(['d']);
    const drawn = new Map(circles(chart.svg).map((m) => [m[1], Number(m[2])]));
    expect([...drawn.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(drawn.get('b')).toBeGreaterThan(drawn.get('c')!);
    expect(drawn.get('c')).toBeGreaterThan(drawn.get('a')!);
    expect(chart.svg).toContain('<polyline class="front"');
    expect(chart.svg).toMatch(/<g class="point pareto" data-id="a">/);
    expect(chart.svg).toMatch(/<g class="point" data-id="c">/);
    // Names the user typed are escaped, never markup.
    expect(chart.svg).toContain('VGG &lt;3 blocks&gt;');
    expect(chart.svg).not.toContain('<3 blocks>');
  });

  it('keeps only the front when asked, and runs it the other way when fewer is better', () => {
    expect(
      circles(tradeOffChart(points, { ...options, paretoOnly: true }).svg)
        .map((m) => m[1])
        .sort(),
    ).toEqual(['a', 'b']);
    // As FLOPs, fewer is better: b (400) is then both cheaper and more accurate than a and c.
    expect(tradeOffChart(points, { ...options, lowerXIsBetter: true }).front).toEqual(['b']);
  });

  it('says there is nothing to plot when no point has both values', () => {
    expect(tradeOffChart([points[3]!], options).svg).toContain('Nothing to plot yet');
  });
});
