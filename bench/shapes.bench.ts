/**
 * Shape propagation runs on every edit. Measures the time from one parameter edit to fresh shapes, inferred
 * whole and incrementally from the inference before the edit (as the canvas does): DenseNet-121 fully
 * unpacked (about 430 layers), synthetic graphs up to 10,000 nodes, and blocks nested up to the expansion
 * cap. Goals: 10,000 nodes under 20 ms, growing linearly; the cap under 100 ms.  Run: npm run bench:shapes
 */
import { expandInstance } from '../shared/blocks/block-commands.ts';
import { applyCommand } from '../shared/graph/commands.ts';
import type { Graph } from '../shared/graph/document.ts';
import { GraphBuilder } from '../shared/graph/graph-builder.ts';
import { MAX_EXPANDED_LAYERS } from '../shared/blocks/flatten-graph.ts';
import { inferShapes, type EarlierInference } from '../shared/shapes/infer-shapes.ts';
import { densenet121 } from '../shared/templates/densenet.ts';
import { nestedBlocks, nestedFanOut, ring } from '../shared/test/hostile-graphs.ts';
import { median, medianMs, report } from './bench-report.ts';

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

/**
 * Each run edits one 3×3 conv's padding (a new params object, as the UI does), then infers the graph whole
 * and incrementally, interleaved; medians of each in ms.
 */
function editThenInfer(graph: Graph, runs: number): { full: number; incremental: number } {
  const conv = graph.nodes.find(
    (n) => n.type === 'Conv2D' && n.params['kernel'] === 3 && n.params['padding'] === 1,
  )!;
  // Warm up the JIT and the per-params parse cache, as a long-running editor would be.
  for (let i = 0; i < 5; i++) inferShapes(graph);
  let earlier: EarlierInference = { graph, inference: inferShapes(graph) };
  const times = { full: [] as number[], incremental: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const edited = applyCommand(earlier.graph, {
      kind: 'setParams',
      id: conv.id,
      params: { ...conv.params, padding: i % 2 ? 1 : 'same' },
    }).graph;
    times.full.push(timedMs(() => checked(inferShapes(edited))));
    times.incremental.push(timedMs(() => checked(inferShapes(edited, earlier))));
    earlier = { graph: edited, inference: inferShapes(edited, earlier) };
  }
  return { full: median(times.full), incremental: median(times.incremental) };
}

const timedMs = (f: () => void) => medianMs(1, f);

function checked(inf: ReturnType<typeof inferShapes>): void {
  if (inf.diagnostics.some((d) => d.severity === 'error')) throw new Error('benchmark graph has errors');
}

const rows: Record<string, string | number>[] = [];
const editRow = (graph: string, g: Graph, runs: number, goal: string) => {
  const { full, incremental } = editThenInfer(g, runs);
  rows.push({
    graph,
    nodes: g.nodes.length,
    'whole ms': full,
    'incremental ms': incremental,
    'µs/node whole': (1000 * full) / g.nodes.length,
    goal,
  });
};
editRow('DenseNet-121 unpacked', unpackAll(densenet121.build()), 200, '< 1 ms');
for (const n of [1250, 2500, 5000, 10_000])
  editRow(`synthetic ${n}`, syntheticGraph(n), n >= 5000 ? 30 : 60, n === 10_000 ? '< 20 ms' : '');
// Blocks in blocks: just under the expansion cap, and files that once hung (cut at the cap), and a ring.
const side = Math.floor(Math.sqrt(MAX_EXPANDED_LAYERS)) - 1;
for (const [name, graph, goal] of [
  [`nested blocks, ${side}×${side} layers`, nestedBlocks([side, side]), '< 100 ms'],
  ['nested blocks, 220×220 Inputs (at the cap)', nestedBlocks([220, 220], 'Input'), '< 100 ms (was 10 s)'],
  ['nested blocks, 10^6 layers (at the cap)', nestedFanOut(6), '< 100 ms (was 68 s)'],
  ['ring of 10,001 layers', ring(10_000), '< 1 s (was 17 s)'],
] as const) {
  const ms = medianMs(5, () => inferShapes(graph));
  rows.push({ graph: name, nodes: inferShapes(graph).flat.nodes.length, 'whole ms': ms, goal });
}
report('shapes', rows);
