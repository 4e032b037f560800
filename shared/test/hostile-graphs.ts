import type { BlockDefinition, Graph } from '../graph/document.ts';
import { BLOCK_INPUT, GraphBuilder } from '../graph/graph-builder.ts';

/**
 * Small inputs that once hung inference: the unit tests check what is reported for them, the shapes
 * benchmark how long it takes.
 */

/** Blocks ten deep in each other, `levels` levels: 10^levels layers from a file of a few KB. */
export function nestedFanOut(levels: number): Graph {
  const level = (n: number): BlockDefinition => {
    const b = new GraphBuilder();
    const type = n === 0 ? 'Activation' : `block:level${n - 1}`;
    let x = b.add(type, {}, BLOCK_INPUT);
    for (let i = 1; i < 10; i++) x = b.add(type, {}, x);
    return { id: `level${n}`, name: `Level ${n}`, params: [], ...b.body(x) };
  };
  const b = new GraphBuilder();
  b.chain(b.add('Input', { channels: 1, height: 4, width: 4 }), [[`block:level${levels - 1}`], ['Flatten']]);
  return { ...b.graph(), blocks: Array.from({ length: levels }, (_, n) => level(n)) };
}

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
