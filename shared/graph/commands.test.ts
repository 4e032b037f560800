import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { templates } from '../templates/catalogue.ts';
import { applyCommand, freshId, GraphCommandError, type GraphCommand } from './commands.ts';
import { connectionProblem } from '../editing/connection-check.ts';
import { copyNodes, pasteNodes } from './copy-nodes.ts';
import { record, redo, startHistory, undo } from './history.ts';
import type { Graph } from './document.ts';

const lenet = templates.find((t) => t.id === 'lenet')!.build();

/** A command that is valid for this graph, drawn at random. */
function arbitraryCommand(g: Graph): fc.Arbitrary<GraphCommand> {
  const ids = g.nodes.map((n) => n.id);
  const options: fc.Arbitrary<GraphCommand>[] = [
    fc.record({
      kind: fc.constant('addNodes' as const),
      nodes: fc.constant([
        { id: freshId(new Set(ids), 'n'), type: 'Dropout', params: { rate: 0.1 }, position: { x: 1, y: 2 } },
      ]),
      edges: fc.constant([]),
    }),
    fc.constant<GraphCommand>({
      kind: 'putBlock',
      block: {
        id: 'b1',
        name: 'B',
        params: [],
        nodes: [],
        edges: [],
        inputs: [],
        outputs: [{ name: 'out', source: { node: 'x', port: 'out' } }],
      },
    }),
  ];
  if (ids.length) {
    const nodeId = fc.constantFrom(...ids);
    options.push(
      fc.record({
        kind: fc.constant('setParams' as const),
        id: nodeId,
        params: fc.dictionary(fc.string(), fc.jsonValue()),
      }),
      fc.record({
        kind: fc.constant('setLabel' as const),
        id: nodeId,
        label: fc.option(fc.string(), { nil: undefined }),
      }),
      fc.record({
        kind: fc.constant('moveNodes' as const),
        moves: fc.array(
          fc.record({ id: nodeId, position: fc.record({ x: fc.integer(), y: fc.integer() }) }),
          { maxLength: 3 },
        ),
      }),
      fc.subarray(ids, { minLength: 1 }).map((removed) => ({ kind: 'removeNodes' as const, ids: removed })),
    );
  }
  if (g.edges.length)
    options.push(
      fc
        .subarray(
          g.edges.map((e) => e.id),
          { minLength: 1 },
        )
        .map((removed) => ({ kind: 'removeEdges' as const, ids: removed })),
    );
  if (ids.length >= 2) {
    options.push(
      fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...ids)).map(([s, t]) => ({
        kind: 'addEdges' as const,
        edges: [
          {
            id: freshId(new Set(g.edges.map((e) => e.id)), 'x'),
            source: s,
            sourceHandle: 'out',
            target: t,
            targetHandle: 'in',
          },
        ],
      })),
    );
  }
  return fc.oneof(...options);
}

describe('graph commands', () => {
  it('undoing any sequence of commands in reverse gives back the original graph', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.infiniteStream(fc.nat()), (steps, seeds) => {
        let g = lenet;
        const undo: GraphCommand[] = [];
        const it = seeds[Symbol.iterator]();
        for (let i = 0; i < steps; i++) {
          const [cmd] = fc.sample(arbitraryCommand(g), { numRuns: 1, seed: it.next().value as number });
          const applied = applyCommand(g, cmd!);
          undo.push(applied.inverse);
          g = applied.graph;
        }
        for (const inverse of undo.reverse()) g = applyCommand(g, inverse).graph;
        expect(g).toEqual(lenet);
      }),
      { numRuns: 300 },
    );
  });

  it('redo after undo gives the edited graph again', () => {
    const cmd: GraphCommand = {
      kind: 'batch',
      commands: [
        { kind: 'removeNodes', ids: ['dense2'] },
        { kind: 'setParams', id: 'conv2d1', params: { filters: 3 } },
      ],
    };
    const done = applyCommand(lenet, cmd);
    const undone = applyCommand(done.graph, done.inverse);
    expect(undone.graph).toEqual(lenet);
    expect(applyCommand(undone.graph, undone.inverse).graph).toEqual(done.graph);
  });

  it('removing a node removes its edges, and undo restores both', () => {
    const { graph, inverse } = applyCommand(lenet, { kind: 'removeNodes', ids: ['flatten1'] });
    expect(graph.edges.some((e) => e.source === 'flatten1' || e.target === 'flatten1')).toBe(false);
    expect(inverse).toMatchObject({
      kind: 'addNodes',
      nodes: [{ id: 'flatten1' }],
      edges: [{ target: 'flatten1' }, { source: 'flatten1' }],
    });
  });

  it('never mutates the graph it is given', () => {
    const frozen = structuredClone(lenet);
    applyCommand(lenet, { kind: 'moveNodes', moves: [{ id: 'conv2d1', position: { x: 9, y: 9 } }] });
    applyCommand(lenet, { kind: 'removeNodes', ids: ['conv2d1'] });
    expect(lenet).toEqual(frozen);
  });

  it('refuses commands that cannot apply, as programming errors', () => {
    expect(() => applyCommand(lenet, { kind: 'removeNodes', ids: ['ghost'] })).toThrow(GraphCommandError);
    expect(() => applyCommand(lenet, { kind: 'addNodes', nodes: [lenet.nodes[0]!], edges: [] })).toThrow(
      GraphCommandError,
    );
    expect(() =>
      applyCommand(lenet, { kind: 'addEdges', edges: [{ ...lenet.edges[0]!, id: 'new', target: 'ghost' }] }),
    ).toThrow(GraphCommandError);
    expect(() => applyCommand(lenet, { kind: 'deleteBlock', id: 'ghost' })).toThrow(GraphCommandError);
  });
});

describe('connection checks', () => {
  it('refuse cycles, occupied ports and edges that break shapes, saying why', () => {
    const c = (source: string, target: string, targetHandle = 'in') => ({
      source,
      sourceHandle: 'out',
      target,
      targetHandle,
    });
    expect(connectionProblem(lenet, c('dense1', 'conv2d1'))).toMatch(/cycle/);
    expect(connectionProblem(lenet, c('conv2d1', 'conv2d1'))).toMatch(/cannot feed itself/);
    expect(connectionProblem(lenet, c('input1', 'dense2'))).toMatch(/already connected/);
    const open = applyCommand(lenet, {
      kind: 'removeEdges',
      ids: [lenet.edges.find((e) => e.target === 'dense1')!.id],
    }).graph;
    expect(connectionProblem(open, c('conv2d2', 'dense1'))).toMatch(
      /Dense expects a flat vector .* Insert a Flatten/,
    );
    expect(connectionProblem(open, c('flatten1', 'dense1'))).toBeNull();
  });
});

describe('history', () => {
  it('undoes and redoes edits in order, and a new edit clears the redo stack', () => {
    let h = startHistory(lenet);
    h = record(
      h,
      {
        kind: 'removeNodes',
        ids: ['dropout1', 'dense2'].filter((id) => lenet.nodes.some((n) => n.id === id)),
      },
      'Delete',
    );
    h = record(h, { kind: 'setParams', id: 'conv2d1', params: { filters: 8 } }, 'Edit');
    const edited = h.graph;
    h = undo(undo(h));
    expect(h.graph).toEqual(lenet);
    expect(h.future.map((e) => e.label)).toEqual(['Edit', 'Delete']);
    h = redo(redo(h));
    expect(h.graph).toEqual(edited);
    h = undo(h);
    h = record(h, { kind: 'setLabel', id: 'conv2d1', label: 'first' });
    expect(h.future).toEqual([]);
    expect(undo(startHistory(lenet)).graph).toBe(lenet);
  });
});

describe('copy and paste', () => {
  it('paste a copy with fresh ids and the edges among the copied nodes, undoable', () => {
    const clip = copyNodes(lenet, ['conv2d1', 'avgpool2d1', 'ghost']);
    expect(clip.nodes.map((n) => n.id)).toEqual(['conv2d1', 'avgpool2d1']);
    expect(clip.edges).toHaveLength(1);
    const { command, ids } = pasteNodes(lenet, clip);
    const { graph, inverse } = applyCommand(lenet, command);
    expect(ids).toEqual(['conv2d3', 'avgpool2d3']);
    expect(graph.edges.at(-1)).toMatchObject({ source: 'conv2d3', target: 'avgpool2d3' });
    expect(graph.nodes.find((n) => n.id === 'conv2d3')!.position).toEqual({ x: 40, y: 170 });
    expect(applyCommand(graph, inverse).graph).toEqual(lenet);
  });
});
