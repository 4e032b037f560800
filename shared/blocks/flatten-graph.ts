import type { BlockBody, BlockDefinition, Graph, GraphEdge, GraphNode, PortRef } from '../graph/document.ts';
import { blockRef } from '../graph/document.ts';
import { issuesProblem } from '../layers/param-words.ts';
import type { ShapeProblem } from '../layers/kind.ts';
import { unknownParamMessage } from '../layers/unknown-params.ts';
import type { BlockKind } from './block-kind.ts';
import { findBlock } from './catalogue.ts';

/**
 * The graph with every block instance replaced, recursively, by its layers. Inner node ids are
 * "<instance id>/<inner id>", so every flat node knows the top-level node that owns it.
 */
export interface FlatGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Problems found while expanding, keyed by the flat id of the instance that could not expand. */
  problems: Map<string, ShapeProblem>;
  /**
   * Per instance (by flat id, nested ones too): its block's title, and per port the flat ports its input
   * feeds and its output's flat source.
   */
  instances: Map<string, InstancePorts>;
}

/** What feeds each layer: by target id and input port, the source's port. */
export function feedingOf(edges: readonly GraphEdge[]): Map<string, Map<string, PortRef>> {
  const feeding = new Map<string, Map<string, PortRef>>();
  for (const e of edges) {
    let ports = feeding.get(e.target);
    if (!ports) feeding.set(e.target, (ports = new Map()));
    ports.set(e.targetHandle, { node: e.source, port: e.sourceHandle });
  }
  return feeding;
}

export const topLevelId = (flatId: string): string => {
  const i = flatId.indexOf('/');
  return i < 0 ? flatId : flatId.slice(0, i);
};

export function flattenGraph(graph: Graph): FlatGraph {
  const flat: FlatGraph = { nodes: [], edges: [], problems: new Map(), instances: new Map() };
  expandInto(flat, graph.nodes, graph.edges, graph.blocks, '', []);
  return flat;
}

/** A block instance, expanded: its block's title, and where each of its ports lands in the flat graph. */
export type InstancePorts = {
  title: string;
  /** The instance's module path in the exported PyTorch model, when its node names one. */
  torchName?: string;
  inputs: Map<string, PortRef[]>;
  outputs: Map<string, PortRef>;
};

/** Adds nodes and edges to `flat` under `prefix`; returns the boundary ports of each instance expanded. */
function expandInto(
  flat: FlatGraph,
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  blocks: readonly BlockDefinition[],
  prefix: string,
  stack: readonly string[],
): Map<string, InstancePorts> {
  const expanded = new Map<string, InstancePorts>();
  for (const node of nodes) {
    const ref = blockRef(node.type);
    const id = prefix + node.id;
    const ports = ref === null ? null : expandInstance(flat, node, ref, blocks, id, stack);
    if (ports) {
      expanded.set(node.id, ports);
      flat.instances.set(id, ports);
    } else flat.nodes.push(prefix ? { ...node, id } : node);
  }
  const source = (r: PortRef): PortRef =>
    expanded.get(r.node)?.outputs.get(r.port) ?? { node: prefix + r.node, port: r.port };
  const targets = (r: PortRef): PortRef[] =>
    expanded.get(r.node)?.inputs.get(r.port) ?? [{ node: prefix + r.node, port: r.port }];
  for (const e of edges) {
    const from = source({ node: e.source, port: e.sourceHandle });
    targets({ node: e.target, port: e.targetHandle }).forEach((to, i) => {
      const id = `${prefix}${e.id}${i ? `#${i}` : ''}`;
      // A top-level edge between layers is its own flat edge: no copy to make.
      const same =
        id === e.id && from.node === e.source && to.node === e.target && to.port === e.targetHandle;
      if (same && from.port === e.sourceHandle) return void flat.edges.push(e);
      flat.edges.push({
        id,
        source: from.node,
        sourceHandle: from.port,
        target: to.node,
        targetHandle: to.port,
      });
    });
  }
  return expanded;
}

/**
 * The most layers a graph may expand to: blocks nested in blocks multiply, and a small file can ask for
 * millions. Shapes are inferred again on every edit, and so many layers stay under 100 ms (bench:shapes:
 * 20,000 took 0.2–0.3 s, 50,000 0.8–2.6 s, far past what an editor may take). The largest classic networks
 * have under 1,000.
 */
export const MAX_EXPANDED_LAYERS = 5_000;

/** The problem of each instance past the cap: it explains every other problem of such a graph. */
export const PAST_THE_CAP: ShapeProblem = {
  code: 'tooLarge',
  message: `The graph expands to more than ${MAX_EXPANDED_LAYERS.toLocaleString('en-US')} layers (blocks inside blocks multiply). Use fewer nested block instances.`,
};

/** A block body's first reference to a layer it does not have, described; null when all are there. */
function danglingReference(body: BlockBody): string | null {
  const ids = new Set(body.nodes.map((n) => n.id));
  const refs = [
    ...body.edges.flatMap((e) => [
      [e.source, `edge ${e.id}`],
      [e.target, `edge ${e.id}`],
    ]),
    ...body.inputs.flatMap((i) => i.targets.map((t) => [t.node, `input ${i.name}`])),
    ...body.outputs.map((o) => [o.source.node, `output ${o.name}`]),
  ];
  const missing = refs.find(([node]) => !ids.has(node!));
  return missing ? `its ${missing[1]} refers to a layer "${missing[0]}" it does not have` : null;
}

type Expansion = { body: BlockBody } | { problem: ShapeProblem };

/**
 * Each instance's expansion, once per parameters object (edits replace it): a block placed many times, or
 * again after an edit elsewhere, gives the same body, and its layers the same parameter objects, so their
 * earlier shapes are reused.
 */
const expansions = new WeakMap<object, { kind: BlockKind; expansion: Expansion }>();

function expansionOf(kind: BlockKind, params: Record<string, unknown>): Expansion {
  const hit = expansions.get(params);
  if (hit?.kind === kind) return hit.expansion;
  const expansion = expand(kind, params);
  expansions.set(params, { kind, expansion });
  return expansion;
}

/** The block's layers for these arguments, or why it cannot have any. */
function expand(kind: BlockKind, params: Record<string, unknown>): Expansion {
  const unknown = unknownParamMessage(kind.title, kind.params, params);
  if (unknown) return { problem: { code: 'badParams', message: unknown } };
  const args = kind.params.safeParse(params);
  if (!args.success) {
    const { param, words } = issuesProblem(kind.params, args.error.issues);
    return {
      problem: {
        code: 'badParams',
        message: `${param ? `${param}: ` : ''}${words}. Correct it in the inspector.`,
      },
    };
  }
  const body = kind.expand(args.data);
  const dangling = danglingReference(body);
  if (!dangling) return { body };
  return {
    problem: {
      code: 'badBlock',
      message: `Block "${kind.title}" is broken: ${dangling}. Open it and reconnect, or delete this instance.`,
    },
  };
}

function expandInstance(
  flat: FlatGraph,
  node: GraphNode,
  ref: string,
  blocks: readonly BlockDefinition[],
  id: string,
  stack: readonly string[],
): InstancePorts | null {
  if (flat.nodes.length >= MAX_EXPANDED_LAYERS) {
    flat.problems.set(id, PAST_THE_CAP);
    return null;
  }
  const kind = findBlock(ref, blocks);
  if (!kind) {
    flat.problems.set(id, {
      code: 'unknownType',
      message: `There is no block "${ref}". Delete this node or import the block.`,
    });
    return null;
  }
  if (stack.includes(ref)) {
    flat.problems.set(id, {
      code: 'blockRecursion',
      message: `Block "${kind.title}" contains itself. Remove the inner instance.`,
    });
    return null;
  }
  const expansion = expansionOf(kind, node.params);
  if ('problem' in expansion) {
    flat.problems.set(id, expansion.problem);
    return null;
  }
  const { body } = expansion;
  // The instance names the PyTorch modules of the block's own nodes (a template's torchvision names).
  const names = node.torchNames;
  const nodes = names
    ? body.nodes.map((n) => (names[n.id] ? { ...n, torchName: names[n.id] } : n))
    : body.nodes;
  const inner = expandInto(flat, nodes, body.edges, blocks, `${id}/`, [...stack, ref]);
  const resolveTargets = (r: PortRef): PortRef[] =>
    inner.get(r.node)?.inputs.get(r.port) ?? [{ node: `${id}/${r.node}`, port: r.port }];
  const resolveSource = (r: PortRef): PortRef =>
    inner.get(r.node)?.outputs.get(r.port) ?? { node: `${id}/${r.node}`, port: r.port };
  return {
    title: kind.title,
    ...(node.torchName ? { torchName: node.torchName } : {}),
    inputs: new Map(body.inputs.map((i) => [i.name, i.targets.flatMap(resolveTargets)])),
    outputs: new Map(body.outputs.map((o) => [o.name, resolveSource(o.source)])),
  };
}

/**
 * The top-level nodes an edit replaced, by id, when it changed nothing the flat graph's structure is made of: the
 * same edges and blocks (the same arrays: edits replace them), the same nodes in the same order with the
 * same types, and each block instance with the same parameters (so it expands as before). Null otherwise.
 */
export function replacedLayers(before: Graph, after: Graph): Map<string, GraphNode> | null {
  if (before.edges !== after.edges || before.blocks !== after.blocks) return null;
  if (before.nodes.length !== after.nodes.length) return null;
  const replaced = new Map<string, GraphNode>();
  for (let i = 0; i < after.nodes.length; i++) {
    const was = before.nodes[i]!;
    const node = after.nodes[i]!;
    if (was === node) continue;
    if (was.id !== node.id || was.type !== node.type) return null;
    if (blockRef(node.type) !== null && was.params !== node.params) return null;
    replaced.set(node.id, node);
  }
  return replaced;
}

/** The flat graph of `after`, from that of `before` when only the layers `replaced` differ. */
export function withReplacedLayers(flat: FlatGraph, replaced: ReadonlyMap<string, GraphNode>): FlatGraph {
  if (replaced.size === 0) return flat;
  return { ...flat, nodes: flat.nodes.map((n) => replaced.get(n.id) ?? n) };
}
