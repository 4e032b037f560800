import type { GraphCommand } from '../graph/commands.ts';
import type { Graph, Position } from '../graph/document.ts';
import { longestPathDepths } from '../graph/ranked-layout.ts';
import type { Size } from './node-box.ts';

/** Room between two layers along a row (it holds the wire's shape label) and between rows or stacked nodes. */
export const GAP = { along: 96, across: 40, rows: 70 };
/** How long a row may run before the flow turns: three or four nodes, what a laptop's canvas shows readable. */
export const ROW_LENGTH = 1100;

type SizeOf = (id: string) => Size;

/**
 * Each node's layer: one past its deepest input (longest path), and a node with no inputs (a second Input,
 * a loose layer) just before the first layer that reads it, so that its wire stays short.
 */
function layersOf(graph: Graph): Map<string, number> {
  const { before: inputs, after: outputs } = neighboursOf(graph);
  const layer = longestPathDepths(
    graph.nodes.map((n) => n.id),
    inputs,
  );
  for (const n of graph.nodes) {
    const readers = (outputs.get(n.id) ?? []).map((t) => layer.get(t)!);
    if (!inputs.has(n.id) && readers.length) layer.set(n.id, Math.max(0, Math.min(...readers) - 1));
  }
  // Layers left empty by the moves above close up.
  const used = [...new Set(layer.values())].sort((a, b) => a - b);
  const rank = new Map(used.map((l, i) => [l, i]));
  return new Map([...layer].map(([id, l]) => [id, rank.get(l)!]));
}

/** Each node's neighbours upstream (forward sweep) or downstream. */
function neighboursOf(graph: Graph): { before: Map<string, string[]>; after: Map<string, string[]> } {
  const before = new Map<string, string[]>();
  const after = new Map<string, string[]>();
  for (const e of graph.edges) {
    before.set(e.target, [...(before.get(e.target) ?? []), e.source]);
    after.set(e.source, [...(after.get(e.source) ?? []), e.target]);
  }
  return { before, after };
}

/** The nodes of each layer, ordered so that wires cross little: each by the mean place of its neighbours. */
function orderedLayers(graph: Graph, layer: ReadonlyMap<string, number>): string[][] {
  const rows = Array.from(
    { length: Math.max(0, ...[...layer.values()].map((l) => l + 1)) },
    () => [] as string[],
  );
  for (const n of graph.nodes) rows[layer.get(n.id)!]!.push(n.id);
  const { before, after } = neighboursOf(graph);
  for (let sweep = 0; sweep < 4; sweep++) {
    const forward = sweep % 2 === 0;
    const place = new Map(rows.flatMap((ids) => ids.map((id, i) => [id, i - (ids.length - 1) / 2] as const)));
    for (const ids of forward ? rows : [...rows].reverse()) {
      const mean = (id: string) => {
        const near = ((forward ? before : after).get(id) ?? []).map((m) => place.get(m)!);
        return near.length ? near.reduce((a, b) => a + b, 0) / near.length : place.get(id)!;
      };
      const keyed = new Map(ids.map((id) => [id, mean(id)]));
      ids.sort((a, b) => keyed.get(a)! - keyed.get(b)!);
      ids.forEach((id, i) => place.set(id, i - (ids.length - 1) / 2));
    }
  }
  return rows;
}

/** The wires that pass each gap between two layers: where a row may end (one wire) and where it should not. */
function wiresAcross(graph: Graph, layer: ReadonlyMap<string, number>, count: number): number[] {
  const across = new Array<number>(Math.max(0, count - 1)).fill(0);
  for (const e of graph.edges) {
    const [a, b] = [layer.get(e.source)!, layer.get(e.target)!].sort((x, y) => x - y) as [number, number];
    for (let gap = a; gap < b; gap++) across[gap]!++;
  }
  return across;
}

/** The latest gap in [from, to] where the fewest wires pass, or null for an empty range. */
function quietestGap(across: readonly number[], from: number, to: number): number | null {
  let best: number | null = null;
  for (let gap = to; gap >= from; gap--) if (best === null || across[gap]! < across[best]!) best = gap;
  return best;
}

/**
 * Splits the layers into rows of about `length`. A row ends where the fewest wires pass, in its second
 * half, so that a turn carries one wire, not a bundle; where only bundles pass there (an Inception's
 * branches), the row runs on, up to twice as long, to the next single wire, so a branching part stays whole.
 */
function rowsOf(widths: readonly number[], across: readonly number[], length: number): number[][] {
  const rows: number[][] = [];
  let start = 0;
  while (start < widths.length) {
    let fit = start;
    let run = widths[start]!;
    while (fit + 1 < widths.length && run + GAP.along + widths[fit + 1]! <= length)
      run += GAP.along + widths[++fit]!;
    let end = fit;
    if (fit + 1 < widths.length) {
      end = quietestGap(across, start + Math.floor((fit - start) / 2), fit)!;
      let on = fit;
      while (across[end]! > 1 && on + 1 < widths.length && run + GAP.along + widths[on + 1]! <= 2 * length) {
        run += GAP.along + widths[++on]!;
        if (across[on]! <= 1 || on + 1 === widths.length) end = on;
      }
    }
    rows.push(Array.from({ length: end - start + 1 }, (_, i) => start + i));
    start = end + 1;
  }
  return rows;
}

/**
 * Lays a network out as a flow a reader follows: layers left to right, parallel branches stacked within a
 * layer, and a long network folded like a snake, row under row, every other row running right to left, each
 * row starting under the end of the last, so that consecutive layers stay side by side and no wire crosses
 * the canvas. Pure: node sizes come from the caller (the canvas's boxes). Positions are top-left corners.
 */
export function flowLayout(graph: Graph, sizeOf: SizeOf, length = ROW_LENGTH): Map<string, Position> {
  const layer = layersOf(graph);
  const layers = orderedLayers(graph, layer);
  const widths = layers.map((ids) => Math.max(0, ...ids.map((id) => sizeOf(id).width)));
  // Across a row, each layer's nodes stacked about the row's middle line: where each node's centre goes.
  const centre = new Map<string, number>();
  const extents = layers.map((ids) => {
    const total = ids.reduce((s, id) => s + sizeOf(id).height, 0) + GAP.across * (ids.length - 1);
    let at = -total / 2;
    for (const id of ids) {
      centre.set(id, at + sizeOf(id).height / 2);
      at += sizeOf(id).height + GAP.across;
    }
    return total;
  });
  const positions = new Map<string, Position>();
  let top = 0;
  // The middle of the layer the last row ended with: the next row starts under it.
  let turn = widths[0] === undefined ? 0 : widths[0] / 2;
  rowsOf(widths, wiresAcross(graph, layer, layers.length), length).forEach((row, r) => {
    const rightward = r % 2 === 0;
    const half = Math.max(...row.map((l) => extents[l]!)) / 2;
    let along = turn - (rightward ? 1 : -1) * (widths[row[0]!]! / 2);
    for (const l of row) {
      const left = rightward ? along : along - widths[l]!;
      for (const id of layers[l]!) {
        const { width, height } = sizeOf(id);
        positions.set(id, {
          x: left + (widths[l]! - width) / 2,
          y: top + half + centre.get(id)! - height / 2,
        });
      }
      turn = left + widths[l]! / 2;
      along += (rightward ? 1 : -1) * (widths[l]! + GAP.along);
    }
    top += 2 * half + GAP.rows;
  });
  const minX = Math.min(0, ...[...positions.values()].map((p) => p.x));
  for (const [id, p] of positions) positions.set(id, { x: Math.round(p.x - minX), y: Math.round(p.y) });
  return positions;
}

/** The layout as one undoable move of every node. */
export function flowLayoutCommand(graph: Graph, sizeOf: SizeOf): GraphCommand {
  const positions = flowLayout(graph, sizeOf);
  return { kind: 'moveNodes', moves: graph.nodes.map((n) => ({ id: n.id, position: positions.get(n.id)! })) };
}
