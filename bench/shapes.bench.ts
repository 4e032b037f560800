/**
 * Shape propagation runs on every edit. Measures the time from one parameter edit to fresh shapes:
 * DenseNet-121 fully unpacked (about 430 layers) and synthetic graphs up to 10,000 nodes.
 * Goals: under 1 ms and under 50 ms, growing linearly with the node count.  Run: npm run bench:shapes
 */
import { expandInstance } from '../shared/blocks/block-commands.ts';
import { applyCommand } from '../shared/graph/commands.ts';
import type { Graph } from '../shared/graph/document.ts';
import { GraphBuilder } from '../shared/graph/graph-builder.ts';
import { inferShapes } from '../shared/shapes/infer-shapes.ts';
import { densenet121 } from '../shared/templates/densenet.ts';
import { nestedFanOut, ring } from '../shared/test/hostile-graphs.ts';
import { medianMs, report } from './bench-report.ts';

function unpackAll(graph: Graph): Graph {
  for (;;) {
    const instance = graph.nodes.find((n) => n.type.startsWith('block:'));
    if (!instance) return graph;
    const cmd = expandInstance(graph, instance.id);
    if (!cmd.ok) throw new Error(cmd.error);
    graph = applyCommand(graph, cmd.value).graph;
  }
}

/**
 * Residual units (conv, BN, ReLU, add) on a small image, until the graph has about n nodes: in parallel
 * branches joined by one Add, so no path is deeper than tfjs can build (2,000 layers, a diagnosed limit).
 */
function syntheticGraph(n: number): Graph {
  const b = new GraphBuilder();
  const input = b.add('Input', { channels: 16, height: 8, width: 8 });
  const branches = Math.max(2, Math.ceil(n / 1500));
  const ends = Array.from({ length: branches }, () => {
    let x = input;
    const until = b.graph().nodes.length + (n - 5) / branches;
    while (b.graph().nodes.length < until) {
      const y = b.chain(x, [
        ['Conv2D', { filters: 16, kernel: 3, padding: 1 }],
        ['BatchNorm', {}],
        ['Activation', { fn: 'relu' }],
      ]);
      x = b.add('Add', {}, [x, y]);
    }
    return x;
  });
  b.chain(b.add('Add', { inputs: branches }, ends), [
    ['GlobalAvgPool'],
    ['Dense', { units: 10 }],
    ['Output'],
  ]);
  return b.graph();
}

/** Each run edits one 3×3 conv's padding (a new params object, as the UI does), then infers the whole graph. */
function editThenInfer(graph: Graph, runs: number): number {
  const conv = graph.nodes.find(
    (n) => n.type === 'Conv2D' && n.params['kernel'] === 3 && n.params['padding'] === 1,
  )!;
  // Warm up the JIT and the per-params parse cache, as a long-running editor would be.
  for (let i = 0; i < 5; i++) inferShapes(graph);
  return medianMs(runs, (i) => {
    const edited = applyCommand(graph, {
      kind: 'setParams',
      id: conv.id,
      params: { ...conv.params, padding: i % 2 ? 1 : 'same' },
    }).graph;
    const inf = inferShapes(edited);
    if (inf.diagnostics.some((d) => d.severity === 'error')) throw new Error('benchmark graph has errors');
  });
}

const rows: Record<string, string | number>[] = [];
const dense = unpackAll(densenet121.build());
const denseMs = editThenInfer(dense, 200);
rows.push({
  graph: 'DenseNet-121 unpacked',
  nodes: dense.nodes.length,
  'median ms': denseMs,
  'µs/node': (1000 * denseMs) / dense.nodes.length,
  goal: '< 1 ms',
});
for (const n of [1250, 2500, 5000, 10_000]) {
  const g = syntheticGraph(n);
  const ms = editThenInfer(g, n >= 5000 ? 30 : 60);
  rows.push({
    graph: `synthetic ${n}`,
    nodes: g.nodes.length,
    'median ms': ms,
    'µs/node': (1000 * ms) / g.nodes.length,
    goal: n === 10_000 ? '< 50 ms' : '',
  });
}
// Inputs that once hung: a 10^6-layer nested-block file is cut at the expansion cap, a ring found in one pass.
for (const [name, graph, goal] of [
  ['nested blocks, 10^6 layers', nestedFanOut(6), '< 5 s (was 68 s)'],
  ['ring of 10,001 layers', ring(10_000), '< 1 s (was 17 s)'],
] as const) {
  const ms = medianMs(3, () => inferShapes(graph));
  rows.push({ graph: name, nodes: graph.nodes.length, 'median ms': ms, 'µs/node': '', goal });
}
report('shapes', rows);
