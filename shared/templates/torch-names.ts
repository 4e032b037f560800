import type { Graph } from '../graph/document.ts';

/** A node's PyTorch module path, or a block instance's with the paths of the block's own nodes by inner id. */
export type TorchNaming = string | { name: string; inner: Readonly<Record<string, string>> };

/**
 * A template's naming scheme: per node type, the module paths its nodes take in the order the graph lists
 * them ("the Conv2Ds are conv1.conv, conv2.conv, …"), so its exported model.py has a reference model's
 * state_dict names (torchvision's) and that model's weights load by name. A type's list must cover its nodes
 * exactly: a template built otherwise than its scheme says is a bug, thrown at once.
 */
export function withTorchNames(
  graph: Graph,
  scheme: Readonly<Record<string, readonly TorchNaming[]>>,
): Graph {
  const next = new Map(Object.keys(scheme).map((type) => [type, 0]));
  const nodes = graph.nodes.map((node) => {
    const names = scheme[node.type];
    if (!names) return node;
    const at = next.get(node.type)!;
    next.set(node.type, at + 1);
    const naming = names[at];
    if (naming === undefined)
      throw new Error(`the scheme names ${names.length} ${node.type} nodes; there are more`);
    return typeof naming === 'string'
      ? { ...node, torchName: naming }
      : { ...node, torchName: naming.name, torchNames: { ...naming.inner } };
  });
  for (const [type, names] of Object.entries(scheme))
    if (next.get(type) !== names.length)
      throw new Error(`the scheme names ${names.length} ${type} nodes; there are ${next.get(type)}`);
  return { ...graph, nodes };
}

/** "prefix1", "prefix2", …: n numbered names. */
export const numbered = (n: number, name: (i: number) => TorchNaming): TorchNaming[] =>
  Array.from({ length: n }, (_, i) => name(i + 1));
