import { applyCommand, type GraphCommand } from '../graph/commands.ts';
import type { BlockBody, BlockDefinition, Graph, GraphEdge, GraphNode, PortRef } from '../graph/document.ts';
import { blockRef } from '../graph/document.ts';
import { rankedPositions } from '../graph/ranked-layout.ts';
import { failure, success, type Result } from '../result.ts';
import {
  edgeShapes,
  inferScope,
  inferShapes,
  type GraphInference,
  type NodeInference,
} from '../shapes/infer-shapes.ts';
import type { Shape } from '../shape.ts';
import { BLOCK_INPUT_TYPE, BLOCK_OUTPUT_TYPE, isBoundaryNode } from '../blocks/block-kind.ts';
import { findBlock } from '../blocks/catalogue.ts';
import { isInputNode, isOutputNode } from '../layers/registry.ts';
import { unusedLayers } from '../shapes/unused-layers.ts';

/**
 * Opening a block instance shows its inside: the inner layers with the shapes they have in this graph, and
 * one boundary node per block input and output. A user block's inside is its definition, so an edit made
 * there is an edit of the definition, and every instance follows. A built-in block's inside is generated
 * from its parameters and is shown read-only.
 */

const inputNodeId = (name: string) => `@in:${name}`;
const outputNodeId = (name: string) => `@out:${name}`;

/** A graph as shown on the canvas, with its inference; `prefix` is its nodes' flat-id prefix. */
export interface GraphScope {
  graph: Graph;
  inference: GraphInference;
  prefix: string;
}

export interface BlockInside extends GraphScope {
  /** The instance's id in the scope that holds it. */
  instanceId: string;
  title: string;
  /** A user block's definition, which edits change; null for a built-in block. */
  definition: BlockDefinition | null;
  /** The instance's arguments: the exposed parameters it sets itself are shown inside with its values. */
  args: Readonly<Record<string, unknown>>;
}

const ROW = 130;

/** The inside of block instance `instanceId` of `parent`. */
export function openBlockInside(parent: GraphScope, instanceId: string): Result<BlockInside, string> {
  const node = parent.graph.nodes.find((n) => n.id === instanceId);
  const ref = node && blockRef(node.type);
  if (!node || ref == null) return failure('Select a block to open.');
  const kind = findBlock(ref, parent.graph.blocks);
  if (!kind) return failure(`There is no block "${ref}" to open.`);
  const definition = parent.graph.blocks.find((b) => b.id === ref) ?? null;
  // The inside shows this instance's values: a user block's exposed parameters as the instance sets them.
  const args = kind.params.safeParse(node.params);
  if (!args.success && !definition)
    return failure('Fix the block’s parameters in the inspector before opening it.');
  const body: BlockBody = args.success ? kind.expand(args.data) : definition!;
  const graph = insideGraph(body, parent.graph.blocks, definition === null);
  const prefix = `${parent.prefix}${instanceId}/`;
  return success({
    graph,
    inference: insideInference(parent, instanceId, body, graph, prefix),
    prefix,
    instanceId,
    title: node.label ?? kind.title,
    definition,
    args: node.params,
  });
}

/** The innermost block opened along `path` (instance ids, outermost first); null for an empty path. */
export function openPath(
  doc: Graph,
  inference: GraphInference,
  path: readonly string[],
): Result<BlockInside, string> | null {
  let scope: GraphScope = { graph: doc, inference, prefix: '' };
  let inside: Result<BlockInside, string> | null = null;
  for (const id of path) {
    inside = openBlockInside(scope, id);
    if (!inside.ok) return inside;
    scope = inside.value;
  }
  return inside;
}

function insideGraph(body: BlockBody, blocks: BlockDefinition[], generated: boolean): Graph {
  const ys = body.nodes.map((n) => n.position.y);
  const xOf = (refs: PortRef[]) => {
    const xs = body.nodes.filter((n) => refs.some((r) => r.node === n.id)).map((n) => n.position.x);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
  };
  const spread = (i: number, count: number) => (i - (count - 1) / 2) * 200;
  const nodes: GraphNode[] = [
    ...body.inputs.map((input, i, all) => ({
      id: inputNodeId(input.name),
      type: BLOCK_INPUT_TYPE,
      label: input.name,
      params: {},
      position: { x: xOf(input.targets) + spread(i, all.length), y: Math.min(0, ...ys) - ROW },
    })),
    ...body.nodes,
    ...body.outputs.map((output, i, all) => ({
      id: outputNodeId(output.name),
      type: BLOCK_OUTPUT_TYPE,
      label: output.name,
      params: {},
      position: { x: xOf([output.source]) + spread(i, all.length), y: Math.max(0, ...ys) + ROW },
    })),
  ];
  const edges: GraphEdge[] = [
    ...body.inputs.flatMap((input) =>
      input.targets.map((t, k) => ({
        id: `@e:${input.name}:${k}`,
        source: inputNodeId(input.name),
        sourceHandle: 'out',
        target: t.node,
        targetHandle: t.port,
      })),
    ),
    ...body.edges,
    ...body.outputs.map((output) => ({
      id: `@e:${output.name}`,
      source: output.source.node,
      sourceHandle: output.source.port,
      target: outputNodeId(output.name),
      targetHandle: 'in',
    })),
  ];
  if (!generated) return { nodes, edges, blocks };
  const positions = rankedPositions(nodes, edges);
  return { nodes: nodes.map((n) => ({ ...n, position: positions.get(n.id)! })), edges, blocks };
}

function insideInference(
  parent: GraphScope,
  instanceId: string,
  body: BlockBody,
  graph: Graph,
  prefix: string,
): GraphInference {
  const inner = inferScope(parent.inference.flat, prefix, body.nodes);
  const nodes = new Map<string, NodeInference>(inner.nodes);
  const instance = parent.inference.nodes.get(instanceId);
  for (const input of body.inputs) {
    const feed = parent.graph.edges.find((e) => e.target === instanceId && e.targetHandle === input.name);
    const shape = feed && parent.inference.edges.get(feed.id);
    nodes.set(inputNodeId(input.name), boundaryResult(shape ? new Map([['out', shape]]) : null));
  }
  for (const output of body.outputs) {
    const shape = instance?.status === 'ok' ? instance.outputs.get(output.name) : undefined;
    // An output node has no out port; its one shape, the block's output, is shown on it all the same.
    nodes.set(outputNodeId(output.name), boundaryResult(shape ? new Map([['in', shape]]) : null));
  }
  const unused = unusedLayers(
    { ...body, outputs: body.outputs.map((o) => o.source) },
    parent.graph.blocks,
    prefix,
  );
  const diagnostics = [...inner.diagnostics, ...unused].map((d) => {
    const input =
      d.code === 'missingInput' && d.port !== undefined
        ? body.inputs.find((i) => i.targets.some((t) => t.node === d.nodeId && t.port === d.port))
        : undefined;
    if (!input) return d;
    return {
      ...d,
      nodeId: inputNodeId(input.name),
      port: undefined,
      message: `Input "${input.name}" of this block is not connected in the graph around it. Close the block (Esc) and connect it.`,
    };
  });
  return {
    nodes,
    edges: edgeShapes(graph.edges, nodes),
    diagnostics,
    totals: inner.totals,
    flat: parent.inference.flat,
  };
}

function boundaryResult(outputs: Map<string, Shape> | null): NodeInference {
  if (!outputs) return { status: 'blocked' };
  return { status: 'ok', outputs, params: { trainable: 0, nonTrainable: 0 }, flops: 0, memoryBytes: 0 };
}

/**
 * The definition an edited inside stands for, or why the edit cannot be made. `args`: the instance's, whose
 * values the inside shows for the exposed parameters it sets (they stay out of the definition).
 */
function definitionFromInside(
  def: BlockDefinition,
  inside: Graph,
  args: BlockInside['args'],
): Result<BlockDefinition, string> {
  const ports = new Set([
    ...def.inputs.map((i) => inputNodeId(i.name)),
    ...def.outputs.map((o) => outputNodeId(o.name)),
  ]);
  if (inside.nodes.some((n) => isBoundaryNode(n) && !ports.has(n.id)))
    return failure('A block’s inputs and outputs cannot be copied or added.');
  if (inside.nodes.some((n) => isInputNode(n) || isOutputNode(n)))
    return failure('Input and Output layers stay outside blocks: place them in the graph around the block.');
  const boundary = new Set(inside.nodes.filter(isBoundaryNode).map((n) => n.id));
  if (inside.edges.some((e) => boundary.has(e.source) && boundary.has(e.target)))
    return failure('Connect the block’s input to a layer, not straight to its output.');
  const inputs = [];
  for (const input of def.inputs) {
    const targets = inside.edges
      .filter((e) => e.source === inputNodeId(input.name))
      .map((e) => ({ node: e.target, port: e.targetHandle }));
    if (targets.length === 0)
      return failure(
        `Input "${input.name}" of the block must feed at least one layer: connect it to the new layer first, then remove the old edge.`,
      );
    inputs.push({ name: input.name, targets });
  }
  const outputs = [];
  for (const output of def.outputs) {
    const feed = inside.edges.find((e) => e.target === outputNodeId(output.name));
    if (!feed)
      return failure(
        `Output "${output.name}" of the block must come from a layer: connect a layer to it before removing the old edge.`,
      );
    outputs.push({ name: output.name, source: { node: feed.source, port: feed.sourceHandle } });
  }
  const nodes = inside.nodes
    .filter((n) => !boundary.has(n.id))
    .map((n) => withDefinitionValues(def, n, args));
  const kept = new Set(nodes.map((n) => n.id));
  const params = def.params
    .map((p) => ({ ...p, bindings: p.bindings.filter((b) => kept.has(b.node)) }))
    .filter((p) => p.bindings.length > 0);
  return success({
    ...def,
    nodes,
    edges: inside.edges.filter((e) => !boundary.has(e.source) && !boundary.has(e.target)),
    inputs,
    outputs,
    params,
  });
}

/** An inner layer's parameter that its user block exposes: its name on the instance, and whether this instance sets it. */
export interface ExposedParam {
  name: string;
  setByInstance: boolean;
}

/** The parameters of inner layer `nodeId` that the open user block exposes, by the layer's parameter name. */
export function exposedParams(inside: BlockInside | null, nodeId: string): ReadonlyMap<string, ExposedParam> {
  const args = inside?.args ?? {};
  const bound = (inside?.definition?.params ?? []).flatMap((p) =>
    p.bindings
      .filter((b) => b.node === nodeId)
      .map((b) => [b.param, { name: p.name, setByInstance: args[p.name] !== undefined }] as const),
  );
  return new Map(bound);
}

/**
 * An inner layer as its definition holds it: the inside shows the instance's values for the exposed
 * parameters it sets, and an edit made there leaves the definition's own values for them as they were.
 */
function withDefinitionValues(def: BlockDefinition, node: GraphNode, args: BlockInside['args']): GraphNode {
  const original = def.nodes.find((n) => n.id === node.id);
  const shown = def.params
    .filter((p) => args[p.name] !== undefined)
    .flatMap((p) => p.bindings.filter((b) => b.node === node.id).map((b) => b.param));
  if (!original || shown.length === 0) return node;
  const params = { ...node.params };
  for (const name of shown)
    if (name in original.params) params[name] = original.params[name];
    else delete params[name];
  return { ...node, params };
}

/**
 * The document command for an edit made inside an open block: the new definition, any blocks the edit
 * made (a block made from a selection inside), and instances freed of arguments the block no longer has.
 */
export function editInside(
  doc: Graph,
  inside: BlockInside,
  command: GraphCommand,
): Result<GraphCommand, string> {
  if (!inside.definition)
    return failure(
      `${inside.title} is a built-in block: set its parameters on the block node, or unpack it to edit its layers.`,
    );
  const edited = applyCommand(inside.graph, command).graph;
  const def = definitionFromInside(inside.definition, edited, inside.args);
  if (!def.ok) return def;
  const before = new Map(inside.graph.blocks.map((b) => [b.id, b]));
  const made = edited.blocks.filter((b) => before.get(b.id) !== b && b.id !== def.value.id);
  const names = new Set(def.value.params.map((p) => p.name));
  const type = `block:${def.value.id}`;
  const freed: GraphCommand[] = doc.nodes
    .filter((n) => n.type === type && Object.keys(n.params).some((k) => !names.has(k)))
    .map((n) => ({
      kind: 'setParams',
      id: n.id,
      params: Object.fromEntries(Object.entries(n.params).filter(([k]) => names.has(k))),
    }));
  return success({
    kind: 'batch',
    commands: [
      ...made.map((block): GraphCommand => ({ kind: 'putBlock', block })),
      { kind: 'putBlock', block: def.value },
      ...freed,
    ],
  });
}

/** The inside as it would be after `edited` replaced it: what a connection check compares against. */
export function previewInside(
  doc: Graph,
  path: readonly string[],
  inside: BlockInside,
  edited: Graph,
): GraphInference {
  if (!inside.definition) return inside.inference;
  const def = definitionFromInside(inside.definition, edited, inside.args);
  if (!def.ok) return inside.inference;
  const after = applyCommand(doc, { kind: 'putBlock', block: def.value }).graph;
  const reopened = openPath(after, inferShapes(after), path);
  return reopened?.ok ? reopened.value.inference : inside.inference;
}
