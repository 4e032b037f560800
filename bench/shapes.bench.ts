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

/** Residual units (conv, BN, ReLU, add) on a small image, until the graph has about n nodes. */
function syntheticGraph(n: number): Graph {
  const b = new GraphBuilder();
  let x = b.add('Input', { channels: 16, height: 8, width: 8 });
  while (b.graph().nodes.length < n - 4) {
    const y = b.chain(x, [
      ['Conv2D', { filters: 16, kernel: 3, padding: 1 }],
      ['BatchNorm', {}],
      ['Activation', { fn: 'relu' }],
    ]);
    x = b.add('Add', {}, [x, y]);
  }
  b.chain(x, [['GlobalAvgPool'], ['Dense', { units: 10 }], ['Output']]);
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
report('shapes', rows);
