import type { BlockDefinition, GraphEdge, GraphNode, PortRef } from '../graph/document.ts';
import { blockRef } from '../graph/document.ts';
import { isOutputNode } from '../layers/registry.ts';
import type { Diagnostic } from './diagnostic.ts';

/** Layers and blocks wired together: a graph, or a block's body, whose outputs leave through `outputs`. */
interface Wired {
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  /** A block body's outputs: what they take from is used. */
  outputs?: readonly PortRef[];
}

/** The nodes whose output nothing takes: no wire leaves them and no block output is theirs. */
function unusedNodes({ nodes, edges, outputs = [] }: Wired): GraphNode[] {
  const used = new Set([...edges.map((e) => e.source), ...outputs.map((o) => o.node)]);
  return nodes.filter((n) => !isOutputNode(n) && !used.has(n.id));
}

/** The first few layers inside a block whose output nothing uses, by their path in it, and how many in all. */
interface UnusedInside {
  first: { path: string; type: string }[];
  count: number;
}

/** How many unused layers one instance names; the rest are counted (nested fan-outs hold millions). */
const NAMED_PER_INSTANCE = 3;

/**
 * The layers inside a user block's definition whose output nothing uses, by their path in it ("c2",
 * "b/c2"). Each definition is walked once (`seen`): a block used ten times in a block used ten times is
 * not walked a hundred times.
 */
function unusedInside(
  def: BlockDefinition,
  blocks: readonly BlockDefinition[],
  stack: readonly string[],
  seen: Map<string, UnusedInside>,
): UnusedInside {
  const known = seen.get(def.id);
  if (known) return known;
  if (stack.includes(def.id)) return { first: [], count: 0 };
  const body = { ...def, outputs: def.outputs.map((o) => o.source) };
  const own = unusedNodes(body).map((n) => ({ path: n.id, type: n.type }));
  const result: UnusedInside = { first: own.slice(0, NAMED_PER_INSTANCE), count: own.length };
  for (const n of def.nodes) {
    const inner = blocks.find((b) => b.id === blockRef(n.type));
    if (!inner) continue;
    const nested = unusedInside(inner, blocks, [...stack, def.id], seen);
    result.count += nested.count;
    for (const u of nested.first)
      if (result.first.length < NAMED_PER_INSTANCE) result.first.push({ ...u, path: `${n.id}/${u.path}` });
  }
  seen.set(def.id, result);
  return result;
}

/**
 * Warnings for output nothing uses, in a graph or the open block's body (`prefix`: its nodes' flat-id
 * prefix): at each such layer or block, and at each user block instance holding such a layer inside it,
 * however deep, naming the layer (its flat id as `innerNodeId`, so Problems can open the block to it).
 */
export function unusedLayers(scope: Wired, blocks: readonly BlockDefinition[], prefix = ''): Diagnostic[] {
  const own = unusedNodes(scope).map((n): Diagnostic => ({
    severity: 'warning',
    code: 'unusedOutput',
    nodeId: n.id,
    message: `The output of this ${blockRef(n.type) === null ? 'layer' : 'block'} is not used. Connect it to the next layer, or delete it.`,
  }));
  const seen = new Map<string, UnusedInside>();
  const inside = scope.nodes.flatMap((n) => {
    const def = blocks.find((b) => b.id === blockRef(n.type));
    if (!def) return [];
    const { first, count } = unusedInside(def, blocks, [], seen);
    const named = first.map((u): Diagnostic => ({
      severity: 'warning',
      code: 'unusedOutput',
      nodeId: n.id,
      innerNodeId: `${prefix}${n.id}/${u.path}`,
      message: `Inside the block, ${u.type} "${u.path}": its output is not used. Open the block (double-click it) and connect it, or delete it.`,
    }));
    const rest = count - first.length;
    if (rest <= 0) return named;
    const more: Diagnostic = {
      severity: 'warning',
      code: 'unusedOutput',
      nodeId: n.id,
      message: `Inside the block, ${rest.toLocaleString('en-US')} more layers' outputs are not used. Open the block to see them.`,
    };
    return [...named, more];
  });
  return [...own, ...inside];
}
