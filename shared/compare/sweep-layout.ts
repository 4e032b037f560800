import type { Graph } from '../graph/document.ts';
import { applyCommand } from '../graph/commands.ts';
import type { Variant } from '../graph/file-format.ts';
import { tidyLayout } from '../layout/tidy-layout.ts';
import { success, type Result } from '../result.ts';
import { expandSweep, type SweepAxis } from './sweep.ts';

const sameNodes = (a: Graph, b: Graph) =>
  a.nodes.length === b.nodes.length && a.nodes.every((n, i) => n.id === b.nodes[i]!.id);

/**
 * A sweep's variants as the app and the CLI keep them: a variant whose nodes changed (a `repeat` added or
 * took some out) is laid out again, so no copy stands on another node; the others keep the user's layout.
 */
export function laidOutSweep(graph: Graph, axes: readonly SweepAxis[]): Result<Variant[], string> {
  const swept = expandSweep(graph, axes);
  if (!swept.ok) return swept;
  return success(
    swept.value.map((v) =>
      sameNodes(v.graph, graph) ? v : { ...v, graph: applyCommand(v.graph, tidyLayout(v.graph)).graph },
    ),
  );
}
