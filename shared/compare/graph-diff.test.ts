import { describe, expect, it } from 'vitest';
import { findTemplate } from '../templates/catalogue.ts';
import { diffGraphs } from './graph-diff.ts';

describe('graph diff', () => {
  it('finds nothing between a graph and itself moved around', () => {
    const a = findTemplate('vgg-mini')!.build();
    const moved = { ...a, nodes: a.nodes.map((n) => ({ ...n, position: { x: n.position.x + 50, y: 0 } })) };
    expect(diffGraphs(a, moved)).toEqual({
      added: [],
      removed: [],
      changed: [],
      addedEdges: [],
      removedEdges: [],
      blocks: { added: [], removed: [], changed: [] },
    });
  });

  it('names the block instance whose parameters changed, one by one, and the nodes and wires added or removed', () => {
    const a = findTemplate('resnet-mini')!.build();
    const b = structuredClone(a);
    const block = b.nodes.find((n) => n.id === 'residual2')!;
    block.params = { ...block.params, channels: 48, shortcutBatchNorm: true };
    const dropout = { id: 'dropout1', type: 'Dropout', params: { rate: 0.2 }, position: { x: 0, y: 0 } };
    const pool = b.nodes.find((n) => n.type === 'GlobalAvgPool')!;
    const dense = b.edges.find((e) => e.source === pool.id)!;
    b.nodes.push(dropout);
    b.edges = b.edges.filter((e) => e !== dense);
    b.edges.push(
      { id: 'e-in', source: pool.id, sourceHandle: 'out', target: 'dropout1', targetHandle: 'in' },
      { id: 'e-out', source: 'dropout1', sourceHandle: 'out', target: dense.target, targetHandle: 'in' },
    );
    b.blocks = [
      {
        id: 'mine',
        name: 'Mine',
        params: [],
        nodes: [],
        edges: [],
        inputs: [],
        outputs: [{ name: 'out', source: { node: 'x', port: 'out' } }],
      },
    ];
    const diff = diffGraphs(a, b);
    expect(diff.changed).toEqual([
      {
        id: 'residual2',
        type: null,
        params: [
          { key: 'channels', before: 32, after: 48 },
          { key: 'shortcutBatchNorm', before: undefined, after: true },
        ],
      },
    ]);
    expect(diff.added.map((n) => n.id)).toEqual(['dropout1']);
    expect(diff.removed).toEqual([]);
    expect(diff.addedEdges.map((e) => e.id)).toEqual(['e-in', 'e-out']);
    expect(diff.removedEdges).toEqual([dense]);
    expect(diff.blocks).toEqual({ added: ['mine'], removed: [], changed: [] });
  });
});
