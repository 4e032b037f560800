import type {
  BlockBody,
  BlockDefinition,
  BlockParam,
  Graph,
  GraphEdge,
  GraphNode,
  PortRef,
  Position,
} from '../graph/document.ts';
import { BLOCK_TYPE_PREFIX, blockRef } from '../graph/document.ts';
import { freshId, type GraphCommand } from '../graph/commands.ts';
import { rankedPositions } from '../graph/ranked-layout.ts';
import { failure, success, type Result } from '../result.ts';
import { findBlock } from './catalogue.ts';
import { isInputNode, isOutputNode } from '../layers/registry.ts';

const portName = (stem: string, i: number, count: number) => (count === 1 ? stem : `${stem}${i}`);
const key = (r: PortRef) => `${r.node}\u0000${r.port}`;

function edgeIds(graph: Graph): () => string {
  const taken = new Set(graph.edges.map((e) => e.id));
  return () => {
    const id = freshId(taken, 'e');
    taken.add(id);
    return id;
  };
}

function centroid(nodes: readonly GraphNode[]): { x: number; y: number } {
  const sum = nodes.reduce((s, n) => ({ x: s.x + n.position.x, y: s.y + n.position.y }), { x: 0, y: 0 });
  return { x: sum.x / nodes.length, y: sum.y / nodes.length };
}

export interface MakeBlockOptions {
  name: string;
  params?: BlockParam[];
}

/**
 * Turns the selected nodes into a new block definition and one instance of it, wired as before. Each distinct
 * source feeding the selection becomes a block input, each inner output used outside becomes a block output.
 */
export function makeBlockFromSelection(
  graph: Graph,
  ids: readonly string[],
  opts: MakeBlockOptions,
): Result<GraphCommand, string> {
  const inside = new Set(ids);
  const nodes = graph.nodes.filter((n) => inside.has(n.id));
  if (nodes.length === 0) return failure('Select the layers to put in the block first.');
  if (nodes.some((n) => isInputNode(n) || isOutputNode(n))) {
    return failure('Input and Output layers stay outside blocks: leave them out of the selection.');
  }
  const crossingIn = graph.edges.filter((e) => !inside.has(e.source) && inside.has(e.target));
  const crossingOut = graph.edges.filter((e) => inside.has(e.source) && !inside.has(e.target));
  const sources = uniqueBy(crossingIn.map((e) => ({ node: e.source, port: e.sourceHandle })));
  const results = uniqueBy(crossingOut.map((e) => ({ node: e.source, port: e.sourceHandle })));
  if (results.length === 0)
    return failure(
      'Nothing outside uses the selection’s output: include the layer it feeds, or connect it first.',
    );

  const blockId = freshId(new Set(graph.blocks.map((b) => b.id)), 'block');
  const center = centroid(nodes);
  const def: BlockDefinition = {
    id: blockId,
    name: opts.name,
    params: opts.params ?? [],
    // Positions inside a block are relative to its instance, so unpacking puts the layers back in place.
    nodes: nodes.map((n) => ({ ...n, position: { x: n.position.x - center.x, y: n.position.y - center.y } })),
    edges: graph.edges.filter((e) => inside.has(e.source) && inside.has(e.target)),
    inputs: sources.map((s, i) => ({
      name: portName('in', i, sources.length),
      targets: crossingIn
        .filter((e) => e.source === s.node && e.sourceHandle === s.port)
        .map((e) => ({ node: e.target, port: e.targetHandle })),
    })),
    outputs: results.map((source, i) => ({ name: portName('out', i, results.length), source })),
  };
  const instanceId = freshId(new Set(graph.nodes.map((n) => n.id)), blockId);
  const instance: GraphNode = {
    id: instanceId,
    type: BLOCK_TYPE_PREFIX + blockId,
    params: {},
    position: center,
    label: opts.name,
  };
  const nextEdge = edgeIds(graph);
  const outputIndex = new Map(results.map((s, i) => [key(s), i]));
  const rewired: GraphEdge[] = [
    ...sources.map((s, i) => edge(nextEdge(), s, { node: instanceId, port: def.inputs[i]!.name })),
    ...crossingOut.map((e) => {
      const i = outputIndex.get(key({ node: e.source, port: e.sourceHandle }))!;
      return edge(
        nextEdge(),
        { node: instanceId, port: def.outputs[i]!.name },
        { node: e.target, port: e.targetHandle },
      );
    }),
  ];
  return success({
    kind: 'batch',
    label: 'Make block',
    commands: [
      { kind: 'putBlock', block: def },
      { kind: 'removeNodes', ids: nodes.map((n) => n.id) },
      { kind: 'addNodes', nodes: [instance], edges: rewired },
    ],
  });
}

/** Replaces a block instance by its layers (unpacking it), keeping every connection. */
export function expandInstance(graph: Graph, id: string): Result<GraphCommand, string> {
  const node = graph.nodes.find((n) => n.id === id);
  const ref = node && blockRef(node.type);
  if (!node || ref == null) return failure('Select a block to unpack.');
  const kind = findBlock(ref, graph.blocks);
  if (!kind) return failure(`There is no block "${ref}" to unpack.`);
  const args = kind.params.safeParse(node.params);
  if (!args.success) return failure('Fix the block’s parameters before unpacking it.');
  const body = kind.expand(args.data);

  const taken = new Set(graph.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  for (const n of body.nodes) {
    const wanted = `${id}_${n.id}`;
    const fresh = taken.has(wanted) ? freshId(taken, `${wanted}_`) : wanted;
    taken.add(fresh);
    rename.set(n.id, fresh);
  }
  const at = (r: PortRef): PortRef => ({ node: rename.get(r.node)!, port: r.port });
  const nextEdge = edgeIds(graph);
  const relative = unpackedPositions(
    body,
    graph.blocks.some((b) => b.id === ref),
  );
  const inner: GraphNode[] = body.nodes.map((n) => ({
    ...n,
    id: rename.get(n.id)!,
    position: { x: node.position.x + relative.get(n.id)!.x, y: node.position.y + relative.get(n.id)!.y },
  }));
  const edges: GraphEdge[] = [
    ...body.edges.map((e) =>
      edge(
        nextEdge(),
        at({ node: e.source, port: e.sourceHandle }),
        at({ node: e.target, port: e.targetHandle }),
      ),
    ),
    ...graph.edges
      .filter((e) => e.target === id)
      .flatMap((e) => {
        const targets = body.inputs.find((i) => i.name === e.targetHandle)?.targets ?? [];
        return targets.map((t) => edge(nextEdge(), { node: e.source, port: e.sourceHandle }, at(t)));
      }),
    ...graph.edges
      .filter((e) => e.source === id)
      .flatMap((e) => {
        const out = body.outputs.find((o) => o.name === e.sourceHandle);
        return out ? [edge(nextEdge(), at(out.source), { node: e.target, port: e.targetHandle })] : [];
      }),
  ];
  return success({
    kind: 'batch',
    label: 'Unpack block',
    commands: [
      { kind: 'removeNodes', ids: [id] },
      makeRoomBelow(graph, node, Math.max(0, ...[...relative.values()].map((p) => p.y))),
      { kind: 'addNodes', nodes: inner, edges },
    ],
  });
}

/**
 * Where a block's layers go, relative to its instance: a user block's as drawn; a built-in's (generated, one
 * column) laid out by depth, so parallel branches stand side by side.
 */
function unpackedPositions(body: BlockBody, drawn: boolean): Map<string, Position> {
  if (!drawn) return rankedPositions(body.nodes, body.edges);
  const top = Math.min(...body.nodes.map((n) => n.position.y));
  return new Map(body.nodes.map((n) => [n.id, { x: n.position.x, y: n.position.y - top }]));
}

/** Moves every node below the instance down by the height its layers take, so none lands on another. */
function makeRoomBelow(graph: Graph, instance: GraphNode, height: number): GraphCommand {
  const below = graph.nodes.filter((n) => n.id !== instance.id && n.position.y > instance.position.y);
  return {
    kind: 'moveNodes',
    moves: below.map((n) => ({ id: n.id, position: { x: n.position.x, y: n.position.y + height } })),
  };
}

function edge(id: string, from: PortRef, to: PortRef): GraphEdge {
  return { id, source: from.node, sourceHandle: from.port, target: to.node, targetHandle: to.port };
}

function uniqueBy(refs: PortRef[]): PortRef[] {
  const seen = new Map<string, PortRef>();
  for (const r of refs) if (!seen.has(key(r))) seen.set(key(r), r);
  return [...seen.values()];
}
