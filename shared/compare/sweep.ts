import { declaredParams } from '../layers/unknown-params.ts';
import { kindTitle, paramsSchema } from '../blocks/node-ports.ts';
import type { Graph, GraphNode } from '../graph/document.ts';
import { paramProblem } from '../layers/param-words.ts';
import type { Variant } from '../graph/file-format.ts';
import { failure, success, type Result } from '../result.ts';
import { MAX_REPEAT, repeatable, repeatInSeries } from './series-repeat.ts';

/** One swept parameter: a node's (layer, block instance or user block's exposed) parameter and its values. */
export interface SweepAxis {
  node: string;
  param: string;
  values: unknown[];
}

/** A sweep never makes more variants than a document keeps. */
export const MAX_SWEEP_VARIANTS = 63;

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** One value as typed: a number, true/false, JSON ([64, 128]), or else the text itself ("same"). */
function parseValue(text: string): unknown {
  const t = text.trim();
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return t;
  }
}

/** Values as typed: "1,2,3", "16..64:16" (from..to:step, both ends kept), or JSON values split at top-level commas. */
export function parseSweepValues(text: string): Result<unknown[], string> {
  const range = /^\s*(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)\s*(?::\s*(\d+(?:\.\d+)?))?\s*$/.exec(text);
  if (range) {
    const [from, to, step] = [Number(range[1]), Number(range[2]), Number(range[3] ?? 1)];
    if (step <= 0 || to < from)
      return failure(`"${text}": a range goes up, from..to:step with a step above 0`);
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > MAX_SWEEP_VARIANTS)
      return failure(`"${text}" has ${count} values; at most ${MAX_SWEEP_VARIANTS}`);
    return success(Array.from({ length: count }, (_, i) => Number((from + i * step).toPrecision(12))));
  }
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{') depth++;
    if (c === ']' || c === '}') depth--;
    if (i === text.length || (c === ',' && depth === 0)) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  const values = parts.filter((p) => p.trim() !== '').map(parseValue);
  return values.length ? success(values) : failure('give one value or more, e.g. 1,2,3 or 16..64:16');
}

/** `NODE.PARAM=VALUES`, as the CLI's --param takes it. */
export function parseSweepAxis(text: string): Result<SweepAxis, string> {
  const m = /^([^.=\s]+)\.([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(text.trim());
  if (!m) return failure(`"${text}" is not NODE.PARAM=VALUES (e.g. vgg2.channels=32,64,128)`);
  const values = parseSweepValues(m[3]!);
  return values.ok ? success({ node: m[1]!, param: m[2]!, values: values.value }) : values;
}

/**
 * A structural axis: how many times the node stands in series ("the number of VGG blocks"), for any node
 * with one input and one output; 0 takes it out.
 */
export const REPEAT = 'repeat';

/** What a sweep can set on a node: the parameters its kind declares, and `repeat` where it can repeat. */
export function sweepableParams(graph: Graph, nodeId: string): string[] {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return [];
  const declared = declaredParams(paramsSchema(node.type, graph.blocks)) ?? [];
  return repeatable(graph, nodeId) ? [...declared, REPEAT] : declared;
}

/** Why an axis cannot apply to the graph (no such node or parameter), naming what there is; null when it can. */
function axisProblem(graph: Graph, axis: SweepAxis): string | null {
  const node = graph.nodes.find((n) => n.id === axis.node);
  if (!node)
    return `there is no node "${axis.node}"; the nodes are ${graph.nodes.map((n) => n.id).join(', ')}`;
  const params = sweepableParams(graph, axis.node);
  if (axis.param === REPEAT && !params.includes(REPEAT))
    return `${axis.node} cannot be repeated in series: only a node fed by one wire, with one output, can`;
  if (axis.param === REPEAT) {
    const bad = axis.values.find(
      (v) => !Number.isInteger(v) || (v as number) < 0 || (v as number) > MAX_REPEAT,
    );
    return bad === undefined
      ? null
      : `${axis.node}.${REPEAT}: ${shown(bad)} is not a whole number from 0 to ${MAX_REPEAT}`;
  }
  // A kind that declares no parameter list (passthrough schemas) takes any name.
  const declared = declaredParams(paramsSchema(node.type, graph.blocks));
  if (declared && !declared.includes(axis.param))
    return `\`${axis.param}\` is not a parameter of ${kindTitle(node.type, graph.blocks)} (${axis.node}); it takes ${params.join(', ')}`;
  return valueProblem(graph, node, axis);
}

/** The first value of an axis that its node's kind refuses, in words ("conv1.filters = 0: at least 1"). */
function valueProblem(graph: Graph, node: GraphNode, axis: SweepAxis): string | null {
  const schema = paramsSchema(node.type, graph.blocks);
  for (const value of axis.values) {
    const problem = schema && paramProblem(schema, { ...node.params, [axis.param]: value }, axis.param);
    if (problem?.param === axis.param)
      return `${axis.node}.${axis.param} = ${shown(value)}: ${problem.words}`;
  }
  return null;
}

/**
 * Every combination of the axes' values, as variants of the graph (the first axis varies slowest), named by
 * what they set: "vgg2.channels=64, dense1.units=128". A value the node's kind refuses is refused here, in
 * words; one that fits the kind but not the shapes around it shows its problem at the node, like any edit.
 */
export function expandSweep(graph: Graph, axes: readonly SweepAxis[]): Result<Variant[], string> {
  if (!axes.length) return failure('choose one parameter or more to sweep');
  for (const axis of axes) {
    const problem = axisProblem(graph, axis);
    if (problem) return failure(problem);
  }
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  if (total > MAX_SWEEP_VARIANTS)
    return failure(`the sweep makes ${total} variants; at most ${MAX_SWEEP_VARIANTS}: use fewer values`);
  let combos: { name: string[]; set: Map<string, Record<string, unknown>> }[] = [
    { name: [], set: new Map() },
  ];
  for (const axis of axes)
    combos = combos.flatMap((c) =>
      axis.values.map((value) => {
        const set = new Map(c.set);
        set.set(axis.node, { ...set.get(axis.node), [axis.param]: value });
        return { name: [...c.name, `${axis.node}.${axis.param}=${shown(value)}`], set };
      }),
    );
  return success(combos.map((c) => ({ name: c.name.join(', '), graph: variantGraph(graph, c.set) })));
}

/** The graph with one combination set: parameters first, then each node's `repeat` (copies take its new values). */
function variantGraph(graph: Graph, set: Map<string, Record<string, unknown>>): Graph {
  const withParams = {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const { [REPEAT]: _times, ...params } = set.get(n.id) ?? {};
      return set.has(n.id) ? { ...n, params: { ...n.params, ...params } } : n;
    }),
  };
  return [...set].reduce(
    (g, [node, values]) => (REPEAT in values ? repeatInSeries(g, node, values[REPEAT] as number) : g),
    withParams,
  );
}
