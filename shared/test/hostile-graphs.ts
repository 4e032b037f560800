import type { BlockDefinition, Graph } from '../graph/document.ts';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';

/**
 * Small inputs that once hung inference: the unit tests check what is reported for them, the shapes
 * benchmark how long it takes.
 */

/**
 * Blocks in blocks: level 0 is a chain of `widths[0]` `layer`s, level n a chain of `widths[n]` instances of
 * level n − 1, and the graph an Input, the last level, Flatten, Dense and Output: the product of the widths in
 * layers from a file of a few KB to a few hundred.
 */
export function nestedBlocks(widths: readonly number[], layer = 'Activation'): Graph {
  const level = (n: number): BlockDefinition => {
    const b = new GraphBuilder();
    const type = n === 0 ? layer : `block:level${n - 1}`;
    let x = b.add(type, {}, BLOCK_INPUT);
    for (let i = 1; i < widths[n]!; i++) x = b.add(type, {}, x);
    return { id: `level${n}`, name: `Level ${n}`, params: [], ...b.body(x) };
  };
  const b = new GraphBuilder();
  const input = b.add('Input', { channels: 1, height: 4, width: 4 });
  b.chain(input, [[`block:level${widths.length - 1}`], ['Flatten'], ['Dense', { units: 2 }], ['Output']]);
  return { ...b.graph(), blocks: widths.map((_, n) => level(n)) };
}

/** Blocks ten deep in each other, `levels` levels: 10^levels layers from a file of a few KB. */
export const nestedFanOut = (levels: number): Graph => nestedBlocks(Array<number>(levels).fill(10));

/** An input feeding a ring of `size` + 1 layers: every ring node is on the cycle. */
export function ring(size: number): Graph {
  const b = new GraphBuilder();
  let x = b.add('Activation', {}, b.add('Input', { channels: 1, height: 4, width: 4 }));
  const start = x;
  for (let i = 0; i < size; i++) x = b.add('Activation', {}, x);
  const graph = b.graph();
  graph.edges.push({
    id: 'back',
    source: x.node,
    sourceHandle: 'out',
    target: start.node,
    targetHandle: 'in',
  });
  return graph;
}
