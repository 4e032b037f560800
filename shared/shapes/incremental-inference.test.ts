import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_EXPANDED_LAYERS } from '../blocks/flatten-graph.ts';
import { applyCommand, type GraphCommand } from '../graph/commands.ts';
import type { Graph } from '../graph/document.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { nestedBlocks } from '../test/hostile-graphs.ts';
import { inferShapes, type EarlierInference } from './infer-shapes.ts';
import { receptiveFields } from './receptive-field.ts';

const template = (id: string) => findTemplate(id)!.build();

/** Graphs of layers, of built-in blocks (residual, dense, inception) and of user blocks in user blocks. */
const GRAPHS: readonly (readonly [string, Graph])[] = [
  ['lenet', template('lenet')],
  ['resnet-mini', template('resnet-mini')],
  ['densenet-mini', template('densenet-mini')],
  ['googlenet', template('googlenet')],
  ['nested user blocks', nestedBlocks([3, 4])],
];

/** Values that keep a parameter valid, make it invalid, or change a shape downstream. */
const VALUES: readonly unknown[] = [1, 2, 3, 8, 0, -1, 'same', 'valid', 'relu', true, 'x'];

/** One edit, chosen by numbers so that it can be drawn before the graph it applies to is known. */
type EditPick = readonly [kind: number, a: number, b: number, c: number];

/** The edit that `pick` names on this graph, or null when the graph has nothing it could apply to. */
function editOf(graph: Graph, [kind, a, b, c]: EditPick): GraphCommand | null {
  const node = graph.nodes[a % Math.max(1, graph.nodes.length)];
  const other = graph.nodes[b % Math.max(1, graph.nodes.length)];
  const edge = graph.edges[b % Math.max(1, graph.edges.length)];
  if (!node) return null;
  switch (kind % 7) {
    case 0: {
      // A parameter set to a value, or the same values in a new object (as the inspector's Enter makes).
      const keys = Object.keys(node.params);
      const key = keys[b % Math.max(1, keys.length)];
      const params = key && c % 4 ? { ...node.params, [key]: VALUES[c % VALUES.length] } : { ...node.params };
      return { kind: 'setParams', id: node.id, params };
    }
    case 1:
      return { kind: 'moveNodes', moves: [{ id: node.id, position: { x: b, y: c } }] };
    case 2:
      return edge ? { kind: 'removeEdges', ids: [edge.id] } : null;
    case 3:
      return other
        ? {
            kind: 'addEdges',
            edges: [
              { id: `x${c}`, source: node.id, sourceHandle: 'out', target: other.id, targetHandle: 'in' },
            ],
          }
        : null;
    case 4:
      return { kind: 'removeNodes', ids: [node.id] };
    case 5: {
      // A user block's layer edited: every instance follows.
      const block = graph.blocks[a % Math.max(1, graph.blocks.length)];
      const inner = block?.nodes[b % Math.max(1, block.nodes.length)];
      if (!block || !inner) return null;
      const fn = c % 2 ? 'relu' : 'tanh';
      const nodes = block.nodes.map((n) => (n === inner ? { ...n, params: { ...n.params, fn } } : n));
      return { kind: 'putBlock', block: { ...block, nodes } };
    }
    default:
      return { kind: 'setLabel', id: node.id, label: `n${c}` };
  }
}

const pick = fc.tuple(fc.nat(6), fc.nat(1000), fc.nat(1000), fc.nat(1000));

describe('incremental shape inference', () => {
  it('gives what inferring the whole graph gives, after every edit and undo of random edit sequences', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...GRAPHS),
        fc.array(fc.tuple(pick, fc.boolean()), { minLength: 1, maxLength: 12 }),
        ([, start], steps) => {
          let earlier: EarlierInference = { graph: start, inference: inferShapes(start) };
          const undo: GraphCommand[] = [];
          for (const [step, undoing] of steps) {
            const command = undoing && undo.length ? undo.pop()! : editOf(earlier.graph, step);
            if (!command) continue;
            let applied;
            try {
              applied = applyCommand(earlier.graph, command);
            } catch {
              continue; // an edit the graph refuses (an edge id taken): nothing to infer
            }
            if (!undoing) undo.push(applied.inverse);
            const graph = applied.graph;
            const incremental = inferShapes(graph, earlier);
            const full = inferShapes(graph);
            expect(incremental).toEqual(full);
            expect(receptiveFields(graph, incremental)).toEqual(receptiveFields(graph, full));
            earlier = { graph, inference: incremental };
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the results of what an edit cannot reach, the same objects', () => {
    const graph = template('lenet');
    const inference = inferShapes(graph);
    const last = graph.nodes.find((n) => n.type === 'Dense')!;
    const edited = applyCommand(graph, {
      kind: 'setParams',
      id: last.id,
      params: { ...last.params, units: 32 },
    }).graph;
    const again = inferShapes(edited, { graph, inference });
    const conv = graph.nodes.find((n) => n.type === 'Conv2D')!;
    expect(again.nodes.get(conv.id)).toBe(inference.nodes.get(conv.id));
    expect(again.flat.results.get(conv.id)).toBe(inference.flat.results.get(conv.id));
    expect(again.nodes.get(last.id)).not.toEqual(inference.nodes.get(last.id));
    const moved = applyCommand(graph, {
      kind: 'moveNodes',
      moves: [{ id: conv.id, position: { x: 9, y: 9 } }],
    });
    expect(inferShapes(moved.graph, { graph, inference }).flat.results).toBe(inference.flat.results);
  });
});

describe('the expansion cap', () => {
  it('refuses blocks nested to 48,400 layers at their instance, saying the limit', () => {
    // 220 instances of a block of 220 Input layers: 96,801 problems and 10 s of inference before.
    const graph = nestedBlocks([220, 220], 'Input');
    const instance = graph.nodes.find((n) => n.type === 'block:level1')!;
    const inference = inferShapes(graph);
    expect(MAX_EXPANDED_LAYERS).toBeLessThan(220 * 220);
    // At most one instance's 220 layers past the cap, each refused instance one node, and the top level's.
    expect(inference.flat.nodes.length).toBeLessThanOrEqual(MAX_EXPANDED_LAYERS + 2 * 220 + 4);
    // The cap comes first: the Problems panel and validate lead with it, not with what follows from it.
    expect(inference.diagnostics[0]).toMatchObject({ code: 'tooLarge', nodeId: instance.id });
    const tooLarge = inference.diagnostics.filter((d) => d.code === 'tooLarge');
    expect(tooLarge.length).toBeGreaterThan(0);
    for (const d of tooLarge) {
      expect(d.nodeId).toBe(instance.id);
      expect(d.message).toContain(
        `The graph expands to more than ${MAX_EXPANDED_LAYERS.toLocaleString('en-US')} layers`,
      );
    }
  });
});
