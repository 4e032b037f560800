import { tidy, util, zeros, type Tensor } from '@tensorflow/tfjs-core';
import { compileGraph } from '../compile/compile-graph.ts';
import type { Graph } from '../graph/document.ts';
import { variantsFile, variantsOf, type GraphFile } from '../graph/file-format.ts';
import { parseDesignFile, serializeDesignFile } from '../blocks/design-file.ts';
import { hasErrors, inferShapes, type NodeInference } from '../shapes/infer-shapes.ts';
import { SeededRandom } from '../random.ts';

/**
 * Mutated graph files, and the promise every stage keeps on them: parsing, inference, compiling and
 * serializing never throw or hang, whatever the file says. Used by the seeded CI test and the longer
 * fuzz script (bench/fuzz.ts).
 */

/** Values that have broken graph code before: odd ids, huge and negative sizes, wrong types. */
const NASTY: readonly unknown[] = [
  0,
  -1,
  1,
  2,
  3,
  7,
  1e6,
  2 ** 31,
  1e300,
  -0.5,
  0.5,
  NaN,
  '',
  '_c',
  '__proto__',
  'constructor',
  'ü層',
  'a/b',
  'in',
  'out',
  'in0',
  'in1',
  'same',
  'valid',
  true,
  false,
  null,
  [],
  {},
  [3, 3],
  [0, 1],
  { a: { b: { c: {} } } },
];

type Path = (string | number)[];

function allPaths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => allPaths(v, [...prefix, k]))];
}

function setAt(root: unknown, path: Path, value: unknown): void {
  if (path.length === 0) return;
  let at = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
}

const pick = <T>(rng: SeededRandom, items: readonly T[]): T => items[rng.int(items.length)]!;

/** A node renamed everywhere it is referred to, so the file stays well-formed and reaches compile. */
function rename(graph: Graph, from: string, to: string): void {
  if (graph.nodes.some((n) => n.id === to)) return;
  for (const n of graph.nodes) if (n.id === from) n.id = to;
  for (const e of graph.edges) {
    if (e.source === from) e.source = to;
    if (e.target === from) e.target = to;
  }
}

/** Sizes each under one layer's bound that add up past the network's (three Dense(16383) did). */
const LARGE_SIZES = [4096, 8192, 16383] as const;

/** Every node with a size made large: the graph's weights together, not one layer's, pass the bound. */
function growAll(graph: Graph, rng: SeededRandom): void {
  const size = pick(rng, LARGE_SIZES);
  for (const n of graph.nodes) {
    if (typeof n.params.units === 'number') n.params.units = size;
    if (typeof n.params.filters === 'number') n.params.filters = size;
  }
}

/**
 * One mutation: a parameter or block value replaced, an edge rewired, a node renamed, dropped or repeated,
 * or every size grown.
 */
function mutateGraph(graph: Graph, rng: SeededRandom): void {
  const kind = rng.int(7);
  const nodeIds = graph.nodes.map((n) => n.id);
  if (kind === 0 && graph.edges.length) {
    const e = pick(rng, graph.edges);
    const field = pick(rng, ['source', 'target', 'sourceHandle', 'targetHandle'] as const);
    e[field] = field.endsWith('Handle') ? pick(rng, ['in', 'out', 'in0', 'in1', 'x']) : pick(rng, nodeIds);
  } else if (kind === 1 && graph.nodes.length) {
    const gone = pick(rng, nodeIds);
    graph.nodes = graph.nodes.filter((n) => n.id !== gone);
    graph.edges = graph.edges.filter((e) => e.source !== gone && e.target !== gone);
  } else if (kind === 2 && graph.nodes.length) {
    const to = ['_c', '__proto__', 'constructor', 'ü層', 'a.b', '-x', '0', 'a/b', 'conv1/conv'];
    rename(graph, pick(rng, nodeIds), pick(rng, to));
  } else if (kind === 3 && graph.blocks.length) {
    const b = pick(rng, graph.blocks);
    setAt(
      b,
      pick(
        rng,
        allPaths(b).filter((p) => p.length > 0),
      ),
      pick(rng, NASTY),
    );
  } else if (kind === 4) {
    growAll(graph, rng);
  } else if (graph.nodes.length) {
    const n = pick(rng, graph.nodes);
    const keys = Object.keys(n.params);
    const key =
      keys.length && rng.next() < 0.8 ? pick(rng, keys) : pick(rng, ['units', 'filters', 'kernel', 'x']);
    n.params[key] = pick(rng, NASTY);
  }
}

/**
 * A graph file's text after a few seeded mutations of `graph`. A quarter are documents of three variants
 * with one of them mutated (the shown one or another: each variant is read and checked on its own).
 */
export function mutatedGraphFile(graph: Graph, seed: number): string {
  const rng = new SeededRandom(seed);
  const count = rng.next() < 0.25 ? 3 : 1;
  const variants = Array.from({ length: count }, (_, i) => ({ name: `v${i}`, graph, id: `v${i}` }));
  const shown = rng.int(count);
  const file = JSON.parse(JSON.stringify(variantsFile(variants, shown, `fuzz ${seed}`))) as GraphFile;
  const mutated = count > 1 && rng.next() < 0.5 ? file.variants![rng.int(count - 1)]!.graph : file.graph;
  const steps = 1 + rng.int(3);
  for (let i = 0; i < steps; i++) mutateGraph(mutated, rng);
  const text = JSON.stringify(file);
  // Now and then damage the text itself: cut short (a crash mid-write), nested past any sense, or
  // begun with a UTF-8 byte-order mark (as Windows editors save).
  const damage = rng.next();
  if (damage < 0.05) return text.slice(0, rng.int(text.length));
  if (damage < 0.08)
    return text.replace('"params":{', `"params":{"deep":${'['.repeat(5000)}${']'.repeat(5000)},`);
  if (damage < 0.13) return `\uFEFF${text}`;
  return text;
}

/**
 * A node that inference leaves without a shape when nothing says why: the canvas would show it blank. A
 * node without a shape needs a problem of its own, of the whole graph, or of a node upstream of it.
 */
export function silentNode(graph: Graph, inference: ReturnType<typeof inferShapes>): string | undefined {
  const errors = inference.diagnostics.filter((d) => d.severity === 'error');
  if (errors.some((d) => d.nodeId === undefined)) return undefined;
  const explained = new Set(errors.map((d) => d.nodeId!));
  // Downstream of a problem: follow the edges until nothing new is reached.
  for (let grew = true; grew;) {
    grew = false;
    for (const e of graph.edges)
      if (explained.has(e.source) && !explained.has(e.target)) grew = !!explained.add(e.target);
  }
  const shapeless = (id: string, r: NodeInference) =>
    r.status !== 'ok' ||
    [...r.outputs.values()].some((shape) => shape.some((d) => !Number.isInteger(d) || d < 1)) ||
    graph.edges.some((e) => e.source === id && !inference.edges.has(e.id) && !explained.has(e.target));
  return [...inference.nodes].find(([id, r]) => !explained.has(id) && shapeless(id, r))?.[0];
}

/** How far one file got: refused by the parser, has diagnostics, compiled (and ran), or too big to try. */
export type FuzzOutcome = 'refused' | 'diagnosed' | 'compiled' | 'skipped';

/**
 * Every stage on one file, as the app and the CLI run them. Throws only when a stage breaks its promise:
 * a parser, an inference or a serializer that throws, or a compile that fails after inference found nothing.
 * Graphs above `maxParams` or `maxFlops` per sample are checked but not compiled, to keep a run short.
 */
export function checkGraphFile(text: string, maxParams = 2_000_000, maxFlops = 100_000_000): FuzzOutcome {
  const parsed = parseDesignFile(text);
  if (!parsed.ok) return 'refused';
  const { variants, shown } = variantsOf(parsed.value);
  const inferences = variants.map((v) => inferShapes(v.graph));
  for (const [i, inferred] of inferences.entries()) {
    const silent = silentNode(variants[i]!.graph, inferred);
    if (silent !== undefined)
      throw new Error(`variant ${variants[i]!.name}: node ${silent} has no shape and no diagnostic`);
  }
  serializeDesignFile(parsed.value);
  const inference = inferences[shown]!;
  if (inferences.some(hasErrors)) return 'diagnosed';
  const { trainable, nonTrainable } = inference.totals.params;
  if (trainable + nonTrainable > maxParams || inference.totals.flops > maxFlops) return 'skipped';
  const compiled = compileGraph(variants[shown]!.graph, inference);
  if (!compiled.ok) throw new Error(`compile refused a graph inference passed: ${compiled.error.message}`);
  try {
    const [, height, width, channels] = compiled.value.model.inputs[0]!.shape as number[];
    tidy(() => (compiled.value.model.predict(zeros([1, height!, width!, channels!])) as Tensor).dataSync());
  } finally {
    compiled.value.model.dispose();
  }
  return 'compiled';
}

/** The templates the fuzz mutates: small ones are compiled and run, large ones checked through inference. */
export const FUZZ_TEMPLATES = [
  'lenet',
  'vgg-mini',
  'resnet-mini',
  'nin',
  'googlenet',
  'densenet121',
] as const;

export interface FuzzFailure {
  template: string;
  seed: number;
  message: string;
}

/** Runs seeds `from`..`to` (inclusive) over the templates; counts the outcomes and collects the failures. */
export function runGraphFuzz(
  buildTemplate: (id: string) => Graph,
  from: number,
  to: number,
): { counts: Record<FuzzOutcome, number>; failures: FuzzFailure[]; slowestMs: number } {
  const counts: Record<FuzzOutcome, number> = { refused: 0, diagnosed: 0, compiled: 0, skipped: 0 };
  const failures: FuzzFailure[] = [];
  const built = new Map<string, Graph>();
  let slowestMs = 0;
  for (let seed = from; seed <= to; seed++) {
    const template = FUZZ_TEMPLATES[seed % FUZZ_TEMPLATES.length]!;
    if (!built.has(template)) built.set(template, buildTemplate(template));
    const text = mutatedGraphFile(built.get(template)!, seed);
    const started = util.now();
    try {
      counts[checkGraphFile(text)] += 1;
    } catch (e) {
      failures.push({ template, seed, message: (e as Error).message.slice(0, 300) });
    }
    slowestMs = Math.max(slowestMs, util.now() - started);
  }
  return { counts, failures, slowestMs };
}
