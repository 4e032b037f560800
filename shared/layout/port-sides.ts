import type { Graph, Position } from '../graph/document.ts';
import type { Size } from './node-box.ts';

/** The side of a node's box its input or output ports sit on. */
export type Side = 'top' | 'right' | 'bottom' | 'left';

export interface PortSides {
  inputs: Side;
  outputs: Side;
}

type Box = Position & Size;
type Axis = 'across' | 'down';

const opposite: Record<Side, Side> = { top: 'bottom', bottom: 'top', left: 'right', right: 'left' };

/** The side of `from` that faces `to` along an axis. */
function facing(from: Box, to: Box, axis: Axis): Side {
  if (axis === 'across') return to.x + to.width / 2 >= from.x + from.width / 2 ? 'right' : 'left';
  return to.y + to.height / 2 >= from.y + from.height / 2 ? 'bottom' : 'top';
}

/**
 * The axis a wire plainly runs along: across when the boxes share a band of height and not of width, down
 * when the other way round; null when it runs diagonally (or the boxes overlap), which says nothing.
 */
function plainAxis(a: Box, b: Box): Axis | null {
  const sharesWidth = a.x < b.x + b.width && b.x < a.x + a.width;
  const sharesHeight = a.y < b.y + b.height && b.y < a.y + a.height;
  if (sharesHeight !== sharesWidth) return sharesHeight ? 'across' : 'down';
  return null;
}

/** The side most wires ask for (the first asked on a tie), or null when none do. */
function mostAsked(sides: readonly Side[]): Side | null {
  const count = new Map<Side, number>();
  for (const s of sides) count.set(s, (count.get(s) ?? 0) + 1);
  return sides.reduce<Side | null>((best, s) => (best && count.get(best)! >= count.get(s)! ? best : s), null);
}

/**
 * Where each node's inputs and outputs go, read from where its neighbours are: ports face the wires, so a
 * row read left to right has its ports on the left and right, a row folded back the other way round, a turn
 * down to the next row top and bottom, and a top-down drawing (a block's inside) keeps them top and bottom.
 * A wire that runs diagonally (into a stacked branch) follows the drawing's main direction.
 */
export function portSides(graph: Graph, boxOf: (id: string) => Box): Map<string, PortSides> {
  const wires = graph.edges.map((e) => {
    const [from, to] = [boxOf(e.source), boxOf(e.target)];
    return { source: e.source, target: e.target, from, to, axis: plainAxis(from, to) };
  });
  const across = wires.filter((w) => w.axis === 'across').length;
  const main: Axis = across >= wires.filter((w) => w.axis === 'down').length ? 'across' : 'down';
  const sideOf = (id: string, ports: 'inputs' | 'outputs', plain: boolean): Side | null => {
    const mine = wires.filter((w) => (ports === 'outputs' ? w.source : w.target) === id);
    const asked = mine.flatMap((w) => {
      if (plain && !w.axis) return [];
      const [self, other] = ports === 'outputs' ? [w.from, w.to] : [w.to, w.from];
      return [facing(self, other, w.axis ?? main)];
    });
    return mostAsked(asked);
  };
  const flip = (s: Side | null) => (s ? opposite[s] : null);
  return new Map(
    graph.nodes.map((n) => {
      const outputs =
        sideOf(n.id, 'outputs', true) ??
        flip(sideOf(n.id, 'inputs', true)) ??
        sideOf(n.id, 'outputs', false) ??
        flip(sideOf(n.id, 'inputs', false)) ??
        (main === 'across' ? 'right' : 'bottom');
      const inputs =
        sideOf(n.id, 'inputs', true) ??
        flip(sideOf(n.id, 'outputs', true)) ??
        sideOf(n.id, 'inputs', false) ??
        opposite[outputs];
      return [n.id, { inputs, outputs }];
    }),
  );
}
