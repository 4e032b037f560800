import { tidy, zeros, type Tensor } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { MAX_EXPANDED_LAYERS } from '../blocks/flatten-graph.ts';
import type { BlockDefinition, Graph } from '../graph/document.ts';
import { graphFile, MAX_NESTING, parseGraphFile, serializeGraphFile } from '../graph/file-format.ts';
import { GraphBuilder } from '../graph/graph-builder.ts';
import { hasErrors, inferShapes } from '../shapes/infer-shapes.ts';
import { MACHINE_LIMITS } from '../shapes/machine-limits.ts';
import { chainGraph, type LayerSpec } from '../test/graph-kit.ts';
import { nestedFanOut, ring } from '../test/hostile-graphs.ts';
import { compileGraph } from './compile-graph.ts';

/** Compiles and runs one image through the graph: what must work whenever inference finds no error. */
function compileAndRun(graph: Graph): number[] {
  const inference = inferShapes(graph);
  expect(inference.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const compiled = compileGraph(graph, inference);
  if (!compiled.ok) throw new Error(compiled.error.message);
  try {
    const [, h, w, c] = compiled.value.model.inputs[0]!.shape as number[];
    return tidy(() => [...(compiled.value.model.predict(zeros([1, h!, w!, c!])) as Tensor).shape]);
  } finally {
    compiled.value.model.dispose();
  }
}

const firstError = (graph: Graph) => inferShapes(graph).diagnostics.find((d) => d.severity === 'error');

function renamed(graph: Graph, from: string, to: string): Graph {
  const id = (x: string) => (x === from ? to : x);
  return {
    ...graph,
    nodes: graph.nodes.map((n) => ({ ...n, id: id(n.id) })),
    edges: graph.edges.map((e) => ({ ...e, source: id(e.source), target: id(e.target) })),
  };
}

const lenetish: LayerSpec[] = [
  ['Conv2D', { filters: 4, kernel: 3 }],
  ['Flatten'],
  ['Dense', { units: 10 }],
  ['Output'],
];

describe('what inference passes, compile builds and runs', () => {
  it.each(['_c', '__proto__', 'constructor', 'toString', 'ü層', '-x', '0'])(
    'a node id tfjs would refuse as a name: %j',
    (id) => {
      const graph = renamed(chainGraph([1, 8, 8], lenetish), 'conv2d1', id);
      expect(compileAndRun(renamed(graph, 'input1', id === '0' ? '1' : `${id}in`))).toEqual([1, 10]);
    },
  );

  it('a Flatten after a vector (a no-op, as in PyTorch)', () => {
    const graph = chainGraph([1, 8, 8], [['Flatten'], ['Flatten'], ['Dense', { units: 3 }], ['Output']]);
    expect(compileAndRun(graph)).toEqual([1, 3]);
  });
});

describe('what a machine cannot hold or tfjs cannot build is diagnosed at the node, never attempted', () => {
  it('a conv of 3e10 weights', () => {
    const graph = chainGraph([512, 8, 8], [['Conv2D', { filters: 65_536, kernel: 31, padding: 15 }]]);
    expect(firstError(graph)).toMatchObject({
      nodeId: 'conv2d1',
      code: 'tooLarge',
      message: expect.stringMatching(/would have [\d,]+ weights \(\d+\.\d GiB\).*fewer filters/),
    });
    expect(compileGraph(graph).ok).toBe(false);
  });

  it('layers each under the limit that add up past what a network can hold: a problem of the graph naming the largest', () => {
    const dense = (units: number): LayerSpec => ['Dense', { units }];
    const graph = chainGraph(
      [1, 128, 128],
      [['Flatten'], dense(16_383), dense(16_383), dense(16_383), ['Output']],
    );
    expect(firstError(graph)).toMatchObject({
      code: 'tooLarge',
      message: expect.stringMatching(
        /^The network would have 805,[\d,]+ weights \(3\.0 GiB\).*The largest: dense1 \(268,[\d,]+\), dense2 \(268,[\d,]+\), dense3/,
      ),
    });
    expect(firstError(graph)!.nodeId).toBeUndefined();
    expect(compileGraph(graph).ok).toBe(false);
    // VGG-19 (144M) is well inside it.
    expect(firstError(chainGraph([1, 128, 128], [['Flatten'], dense(8192), ['Output']]))).toBeUndefined();
  });

  it('pooling after a map too large for memory', () => {
    const graph = chainGraph([4096, 8192, 8192], [['AvgPool2D', { kernel: 2 }], ['Flatten']]);
    expect(firstError(graph)).toMatchObject({ nodeId: 'input1', code: 'tooLarge' });
  });

  it('a chain deeper than tfjs can build', () => {
    const deep: LayerSpec[] = Array.from({ length: MACHINE_LIMITS.depth + 10 }, () => [
      'Activation',
      { fn: 'relu' },
    ]);
    const d = firstError(chainGraph([1, 4, 4], [['Flatten'], ...deep]));
    expect(d).toMatchObject({ code: 'tooDeep', message: expect.stringMatching(/at most 2,000 layers deep/) });
  });

  it('a block whose body refers to a layer it does not have', () => {
    const b = new GraphBuilder();
    b.chain(b.add('Input', { channels: 1, height: 8, width: 8 }), [
      ['block:broken'],
      ['Flatten'],
      ['Dense', { units: 2 }],
      ['Output'],
    ]);
    const broken: BlockDefinition = {
      id: 'broken',
      name: 'Broken',
      params: [],
      nodes: [{ id: 'c', type: 'Conv2D', params: {}, position: { x: 0, y: 0 } }],
      edges: [],
      inputs: [{ name: 'in', targets: [{ node: 'c', port: 'in' }] }],
      outputs: [{ name: 'out', source: { node: 'gone', port: 'out' } }],
    };
    const d = firstError({ ...b.graph(), blocks: [broken] });
    expect(d).toMatchObject({
      nodeId: 'broken1',
      code: 'badBlock',
      message: expect.stringMatching(/its output out refers to a layer "gone" it does not have/),
    });
  });

  it('an edge leaving a block from a port it does not have', () => {
    const b = new GraphBuilder();
    const r = b.add('block:residual', { channels: 4 }, b.add('Input', { channels: 4, height: 8, width: 8 }));
    b.chain({ node: r.node, port: 'x' }, [['Flatten'], ['Dense', { units: 2 }], ['Output']]);
    expect(firstError(b.graph())).toMatchObject({ nodeId: 'flatten1', code: 'unknownPort' });
    const plain = chainGraph([1, 8, 8], lenetish);
    plain.edges[1]!.sourceHandle = 'in';
    expect(firstError(plain)).toMatchObject({ nodeId: 'flatten1', code: 'unknownPort' });
  });

  // How long these take is measured by npm run bench:shapes; here, what they report.
  it('blocks nested in blocks that would expand to millions of layers', () => {
    const { diagnostics } = inferShapes(nestedFanOut(6));
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'tooLarge',
        message: expect.stringContaining(`more than ${MAX_EXPANDED_LAYERS.toLocaleString('en-US')} layers`),
      }),
    );
  });

  it('finds every node of a 10,000-node ring on its cycle', () => {
    const inference = inferShapes(ring(10_000));
    expect(hasErrors(inference)).toBe(true);
    expect(inference.diagnostics.filter((d) => d.code === 'cycle')).toHaveLength(10_001);
  });
});

describe('graph files nested too deep to write back are refused when read', () => {
  // Written as text: JSON.stringify itself cannot write what is this deep.
  const deep = '['.repeat(10_000) + ']'.repeat(10_000);
  const file = (extra: string) =>
    JSON.stringify(graphFile({ nodes: [], edges: [], blocks: [] }, 'deep')).replace(/}$/, `, ${extra}}`);

  it.each([
    [
      'params',
      `"graph": {"nodes": [{"id": "a", "type": "Input", "position": {"x": 0, "y": 0}, "params": {"x": ${deep}}}], "edges": []}`,
    ],
    ['runs', `"runs": [${deep}]`],
  ])('in %s', (_where, extra) => {
    const parsed = parseGraphFile(file(extra));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.error.message).toMatch(new RegExp(`nested more than ${MAX_NESTING} levels`));
  });

  it('a file nested less deep still parses and writes back', () => {
    const fine = '['.repeat(MAX_NESTING - 10) + ']'.repeat(MAX_NESTING - 10);
    const parsed = parseGraphFile(file(`"runs": [${fine}]`));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(() => serializeGraphFile(parsed.value)).not.toThrow();
  });
});
