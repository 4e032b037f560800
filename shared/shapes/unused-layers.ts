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

/** The layers inside a user block's definition whose output nothing uses, by their path in it ("c2", "b/c2"). */
function unusedInside(
  def: BlockDefinition,
  blocks: readonly BlockDefinition[],
  stack: readonly string[],
): { path: string; type: string }[] {
  if (stack.includes(def.id)) return [];
  const body = { ...def, outputs: def.outputs.map((o) => o.source) };
  const own = unusedNodes(body).map((n) => ({ path: n.id, type: n.type }));
  const nested = def.nodes.flatMap((n) => {
    const inner = blocks.find((b) => b.id === blockRef(n.type));
    return inner
      ? unusedInside(inner, blocks, [...stack, def.id]).map((u) => ({ ...u, path: `${n.id}/${u.path}` }))
      : [];
  });
  return [...own, ...nested];
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
  const inside = scope.nodes.flatMap((n) => {
    const def = blocks.find((b) => b.id === blockRef(n.type));
    if (!def) return [];
    return unusedInside(def, blocks, []).map((u): Diagnostic => ({
      severity: 'warning',
      code: 'unusedOutput',
      nodeId: n.id,
      innerNodeId: `${prefix}${n.id}/${u.path}`,
      message: `Inside the block, ${u.type} "${u.path}": its output is not used. Open the block (double-click it) and connect it, or delete it.`,
    }));
  });
  return [...own, ...inside];
}
