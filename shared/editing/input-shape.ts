import { applyCommand, type GraphCommand } from '../graph/commands.ts';
import type { Graph } from '../graph/document.ts';
import { isInputNode } from '../layers/registry.ts';

/** Parses "CxHxW" (or "C×H×W"); null when it is not three positive integers. */
export function parseInputShape(text: string): [number, number, number] | null {
  const parts = text.split(/[x×,]/i).map((s) => Number(s.trim()));
  if (parts.length !== 3 || parts.some((d) => !Number.isInteger(d) || d < 1)) return null;
  return parts as [number, number, number];
}

/** The graph with every input layer set to this C×H×W shape. */
export function withInputShape(
  graph: Graph,
  [channels, height, width]: readonly [number, number, number],
): Graph {
  const commands: GraphCommand[] = graph.nodes
    .filter(isInputNode)
    .map((n) => ({ kind: 'setParams', id: n.id, params: { ...n.params, channels, height, width } }));
  return applyCommand(graph, { kind: 'batch', commands }).graph;
}
