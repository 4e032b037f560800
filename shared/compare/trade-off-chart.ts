import { escapeXml } from '../export/xml-text.ts';
import { paretoFront } from './pareto.ts';

/** One design or run on the chart: x (speed, or FLOPs), y (accuracy), and a size (memory) for its circle. */
export interface ChartPoint {
  id: string;
  name: string;
  x: number;
  y: number;
  size: number;
}

export interface ChartOptions {
  xLabel: string;
  yLabel: string;
  sizeLabel: string;
  /** FLOPs: fewer is better, so the front runs the other way. */
  lowerXIsBetter?: boolean;
  /** Only the points on the Pareto front. */
  paretoOnly?: boolean;
  /** How a tick value reads on each axis. */
  xTick?: (v: number) => string;
  yTick?: (v: number) => string;
}

export interface TradeOffChart {
  svg: string;
  width: number;
  height: number;
  /** The ids on the Pareto front, and of the points left out for want of a value. */
  front: string[];
  missing: string[];
}

const WIDTH = 640;
const HEIGHT = 420;
const M = { left: 72, right: 32, top: 40, bottom: 56 };
/** About how wide a label's character is at 10 px. */
const CHAR = 5.6;
const MAX_RADIUS = 22;

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/** A linear scale from [lo, hi] (padded so circles stay inside) onto [a, b] pixels. */
function scale(values: number[], a: number, b: number) {
  const [min, max] = [Math.min(...values), Math.max(...values)];
  const pad = (max - min) * 0.08 || Math.abs(max) * 0.1 || 1;
  const [lo, hi] = [min - pad, max + pad];
  return { lo, hi, at: (v: number) => a + ((v - lo) / (hi - lo)) * (b - a) };
}

/**
 * Places labels above or below their circle where they overlap no label placed before, inside the plot; a
 * label with no free place is left out (hovering its circle still names it).
 */
class LabelPlacer {
  private boxes: { x0: number; x1: number; y0: number; y1: number }[] = [];

  place(text: string, cx: number, ys: number[]): { x: number; y: number } | null {
    const half = (text.length * CHAR) / 2;
    const x = Math.min(Math.max(cx, M.left + half + 2), WIDTH - M.right - half - 2);
    for (const y of ys) {
      const box = { x0: x - half, x1: x + half, y0: y - 10, y1: y + 2 };
      const inside = box.y0 >= M.top && box.y1 <= HEIGHT - M.bottom;
      const free = this.boxes.every((b) => b.x1 < box.x0 || box.x1 < b.x0 || b.y1 < box.y0 || box.y1 < b.y0);
      if (inside && free) {
        this.boxes.push(box);
        return { x, y };
      }
    }
    return null;
  }
}

const plain = (v: number) => String(Number(v.toPrecision(4)));

/**
 * The trade-off chart of the seeds' model zoo: x = speed (or FLOPs), y = accuracy, circle area = memory;
 * the Pareto front drawn through the points no other beats on both axes. Each circle has a <title> (hovering
 * names it) and data-id (a click opens it). One SVG for the app's view and the CLI's --chart.
 */
export function tradeOffChart(points: readonly ChartPoint[], options: ChartOptions): TradeOffChart {
  const usable = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const missing = points.filter((p) => !usable.includes(p)).map((p) => p.id);
  const sign = options.lowerXIsBetter ? -1 : 1;
  const front = paretoFront(usable.map((p) => ({ x: sign * p.x, y: p.y }))).map((i) => usable[i]!);
  const shown = options.paretoOnly ? front : usable;
  const [xTick, yTick] = [options.xTick ?? plain, options.yTick ?? plain];
  const parts: string[] = [];
  const frame = `<rect x="${M.left}" y="${M.top}" width="${WIDTH - M.left - M.right}" height="${HEIGHT - M.top - M.bottom}" class="frame"/>`;
  if (!shown.length) {
    parts.push(
      frame,
      `<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">Nothing to plot yet</text>`,
    );
  } else {
    const x = scale(
      shown.map((p) => p.x),
      M.left,
      WIDTH - M.right,
    );
    const y = scale(
      shown.map((p) => p.y),
      HEIGHT - M.bottom,
      M.top,
    );
    const maxSize = Math.max(...shown.map((p) => p.size), 1e-12);
    const radius = (s: number) => 4 + (MAX_RADIUS - 4) * Math.sqrt(Math.max(0, s) / maxSize);
    parts.push(frame);
    for (const t of ticks(x.lo, x.hi))
      parts.push(
        `<line x1="${x.at(t)}" x2="${x.at(t)}" y1="${HEIGHT - M.bottom}" y2="${HEIGHT - M.bottom + 5}" class="tick"/>`,
        `<text x="${x.at(t)}" y="${HEIGHT - M.bottom + 18}" text-anchor="middle">${escapeXml(xTick(t))}</text>`,
      );
    for (const t of ticks(y.lo, y.hi))
      parts.push(
        `<line x1="${M.left - 5}" x2="${WIDTH - M.right}" y1="${y.at(t)}" y2="${y.at(t)}" class="grid"/>`,
        `<text x="${M.left - 8}" y="${y.at(t) + 4}" text-anchor="end">${escapeXml(yTick(t))}</text>`,
      );
    const frontShown = [...front].sort((a, b) => a.x - b.x);
    if (frontShown.length > 1)
      parts.push(
        `<polyline class="front" points="${frontShown.map((p) => `${x.at(p.x)},${y.at(p.y)}`).join(' ')}"/>`,
      );
    const labels = new LabelPlacer();
    // Big circles first, so a small one is never hidden under a big one.
    for (const p of [...shown].sort((a, b) => b.size - a.size)) {
      const onFront = front.includes(p);
      const [cx, cy, r] = [x.at(p.x), y.at(p.y), radius(p.size)];
      const label = labels.place(p.name, cx, [cy - r - 4, cy + r + 12]);
      parts.push(
        `<g class="point${onFront ? ' pareto' : ''}" data-id="${escapeXml(p.id)}">` +
          `<title>${escapeXml(`${p.name}\n${options.xLabel}: ${xTick(p.x)}\n${options.yLabel}: ${yTick(p.y)}`)}</title>` +
          `<circle cx="${cx}" cy="${cy}" r="${r.toFixed(1)}"/>` +
          (label
            ? `<text x="${label.x}" y="${label.y}" text-anchor="middle" class="label">${escapeXml(p.name)}</text>`
            : '') +
          '</g>',
      );
    }
  }
  parts.push(
    `<text x="${(M.left + WIDTH - M.right) / 2}" y="${HEIGHT - 12}" text-anchor="middle" class="axis">${escapeXml(options.xLabel)}</text>`,
    `<text x="16" y="${(M.top + HEIGHT - M.bottom) / 2}" text-anchor="middle" class="axis" transform="rotate(-90 16 ${(M.top + HEIGHT - M.bottom) / 2})">${escapeXml(options.yLabel)}</text>`,
    `<text x="${WIDTH - M.right}" y="${M.top - 8}" text-anchor="end" class="note">circle area: ${escapeXml(options.sizeLabel)}; dashed: Pareto front</text>`,
  );
  const style =
    '<style>text{font:11px sans-serif;fill:#1d2330}.axis{font-size:12px;font-weight:bold}.note{fill:#55627a}' +
    '.frame{fill:#fff;stroke:#8d99b3}.grid{stroke:#e3e7ef}.tick{stroke:#8d99b3}' +
    '.point circle{fill:#4f7cd6;fill-opacity:.45;stroke:#2a4f9a;cursor:pointer}.point.pareto circle{fill:#d9822b;stroke:#9a5214}' +
    '.front{fill:none;stroke:#9a5214;stroke-width:1.5;stroke-dasharray:5 4}.label{font-size:10px;fill:#33405a}</style>';
  return {
    svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">${style}<rect width="100%" height="100%" fill="#f7f8fb"/>${parts.join('')}</svg>`,
    width: WIDTH,
    height: HEIGHT,
    front: front.map((p) => p.id),
    missing,
  };
}
