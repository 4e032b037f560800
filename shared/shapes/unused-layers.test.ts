import { describe, expect, it } from 'vitest';
import type { Graph } from '../graph/document.ts';
import { nestedBlocks } from '../test/hostile-graphs.ts';
import { unusedLayers } from './unused-layers.ts';

/** Blocks ten in ten in ten, the innermost holding one Dropout whose output nothing takes. */
function fanOutWithUnusedLayer(): Graph {
  const graph = nestedBlocks([10, 10, 10]);
  const [innermost, ...rest] = graph.blocks;
  const dangling = { id: 'dropout9', type: 'Dropout', params: {}, position: { x: 0, y: 0 } };
  const edge = {
    id: 'to-dropout9',
    source: innermost!.nodes[0]!.id,
    sourceHandle: 'out',
    target: 'dropout9',
    targetHandle: 'in',
  };
  return {
    ...graph,
    blocks: [
      { ...innermost!, nodes: [...innermost!.nodes, dangling], edges: [...innermost!.edges, edge] },
      ...rest,
    ],
  };
}

describe('unused layers inside blocks', () => {
  it('names the first few inside an instance and counts the rest, walking each block once', () => {
    const graph = fanOutWithUnusedLayer();
    const inside = unusedLayers(graph, graph.blocks).filter((d) => d.message.startsWith('Inside the block'));
    // 10 × 10 instances of the innermost block, one unused Dropout each: three named, 97 counted.
    expect(inside.filter((d) => d.innerNodeId)).toHaveLength(3);
    expect(inside[0]!.innerNodeId).toMatch(/\/dropout9$/);
    expect(inside.at(-1)!.message).toMatch(/97 more layers' outputs are not used/);
  });
});
