import { nodePorts, nodeTitle } from '../blocks/node-ports.ts';
import { freshId, type GraphCommand } from '../graph/commands.ts';
import type { Graph, GraphEdge, GraphNode, PortRef, Position } from '../graph/document.ts';
import { applyCommand } from '../graph/commands.ts';
import { GAP } from '../layout/flow-layout.ts';
import { nodeBoxes, type NodeBox } from '../layout/node-box.ts';
import { portSides, type Side } from '../layout/port-sides.ts';
import { failure, success, type Result } from '../result.ts';
import type { GraphInference } from '../shapes/infer-shapes.ts';

/**
 * A layer put into the graph: the one undoable command that adds it, wired in where it could be, and, when
 * it could not be wired, why (the layer is added all the same, where the caller asked: nothing is lost).
 */
export interface Insertion {
  command: GraphCommand;
  unwired: string | null;
}

/** What an insertion is checked against: the shapes now, and those of a graph edited (inside a block too). */
export interface ShapeCheck {
  inference: GraphInference;
  preview(edited: Graph): GraphInference;
}

/** Where a wire into the new layer comes from, the wires it takes over, and where the layer goes if not wired. */
interface Splice {
  from: PortRef;
  /** The inputs the new layer feeds instead of `from`, and the edges that fed them. */
  to: PortRef[];
  cut: string[];
  fallback: Position;
}

type Box = NodeBox & Position;

const step: Record<Side, Position> = {
  right: { x: 1, y: 0 },
  left: { x: -1, y: 0 },
  bottom: { x: 0, y: 1 },
  top: { x: 0, y: -1 },
};

/** The new layer's box one step past `from`'s output side, centred on it. */
function slotPast(from: Box, side: Side, size: NodeBox): Position {
  const middle = {
    x: from.x + from.width / 2 - size.width / 2,
    y: from.y + from.height / 2 - size.height / 2,
  };
  if (side === 'right') return { x: from.x + from.width + GAP.along, y: middle.y };
  if (side === 'left') return { x: from.x - GAP.along - size.width, y: middle.y };
  if (side === 'bottom') return { x: middle.x, y: from.y + from.height + GAP.rows };
  return { x: middle.x, y: from.y - GAP.rows - size.height };
}

/** Every node fed, directly or not, by the given ones (themselves included). */
function downstreamOf(graph: Graph, starts: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of graph.edges) if (e.source === id) stack.push(e.target);
  }
  return seen;
}

const overlaps = (a: Box, b: Box, margin: number) =>
  a.x < b.x + b.width + margin &&
  b.x < a.x + a.width + margin &&
  a.y < b.y + b.height + margin &&
  b.y < a.y + a.height + margin;

/**
 * Where the new layer goes, past the layer it follows in the direction the flow runs there, and the move
 * that makes room for it: what follows it shifts one step on, together, so its rows and turns keep their
 * shape, and only when the new layer would cover part of it.
 */
function placement(graph: Graph, check: ShapeCheck, node: GraphNode, splice: Splice) {
  const sizes = nodeBoxes({ ...graph, nodes: [...graph.nodes, node] }, check.inference);
  const boxOf = (id: string): Box => ({
    ...graph.nodes.find((n) => n.id === id)!.position,
    ...sizes.get(id)!,
  });
  const side = portSides(graph, boxOf).get(splice.from.node)!.outputs;
  const size = sizes.get(node.id)!;
  const position = slotPast(boxOf(splice.from.node), side, size);
  const after = downstreamOf(
    graph,
    splice.to.map((t) => t.node),
  );
  const crowded = [...after].some((id) => overlaps({ ...position, ...size }, boxOf(id), GAP.across));
  if (!crowded) return { position, moves: [] };
  const by = side === 'left' || side === 'right' ? size.width + GAP.along : size.height + GAP.rows;
  const moves = [...after].map((id) => {
    const at = boxOf(id);
    return { id, position: { x: at.x + step[side].x * by, y: at.y + step[side].y * by } };
  });
  return { position, moves };
}

/** The edges that wire the new layer in: from `from` into its first input, from its first output on. */
function spliceEdges(graph: Graph, node: GraphNode, splice: Splice): GraphEdge[] {
  const ports = nodePorts(node, graph.blocks);
  const taken = new Set(graph.edges.map((e) => e.id));
  const edge = (source: PortRef, target: PortRef): GraphEdge => {
    const id = freshId(taken, 'e');
    taken.add(id);
    return {
      id,
      source: source.node,
      sourceHandle: source.port,
      target: target.node,
      targetHandle: target.port,
    };
  };
  const self = (port: string): PortRef => ({ node: node.id, port });
  return [
    edge(splice.from, self(ports.inputs[0]!)),
    ...splice.to.map((t) => edge(self(ports.outputs[0]!), t)),
  ];
}

/** Why the layer cannot be wired in this way, or the command that wires it in. */
function wiredIn(
  graph: Graph,
  check: ShapeCheck,
  node: GraphNode,
  splice: Splice,
): Result<GraphCommand, string> {
  const title = nodeTitle(node, graph.blocks);
  const ports = nodePorts(node, graph.blocks);
  if (!ports.inputs.length) return failure(`${title} takes no input: it starts a network.`);
  if (splice.to.length && !ports.outputs.length)
    return failure(`${title} ends a network: nothing can follow it.`);
  const { position, moves } = placement(graph, check, node, splice);
  const placed = { ...node, position };
  const commands: GraphCommand[] = [];
  if (splice.cut.length) commands.push({ kind: 'removeEdges', ids: splice.cut });
  if (moves.length) commands.push({ kind: 'moveNodes', moves });
  commands.push({ kind: 'addNodes', nodes: [placed], edges: spliceEdges(graph, placed, splice) });
  const command: GraphCommand = { kind: 'batch', commands };
  const after = check.preview(applyCommand(graph, command).graph);
  const checked = new Set([node.id, ...splice.to.map((t) => t.node)]);
  const had = new Set(check.inference.diagnostics.map((d) => `${d.nodeId}:${d.message}`));
  const fresh = after.diagnostics.find(
    (d) => d.severity === 'error' && checked.has(d.nodeId ?? '') && !had.has(`${d.nodeId}:${d.message}`),
  );
  return fresh ? failure(`${title} does not fit here: ${fresh.message}`) : success(command);
}

const unwiredAt = (node: GraphNode, position: Position, why: string): Insertion => ({
  command: { kind: 'addNodes', nodes: [{ ...node, position }], edges: [] },
  unwired: why,
});

/** The layer wired in as asked, or added unwired at the fallback place with the reason. */
function insertion(graph: Graph, check: ShapeCheck, node: GraphNode, splice: Splice): Insertion {
  const wired = wiredIn(graph, check, node, splice);
  return wired.ok ? { command: wired.value, unwired: null } : unwiredAt(node, splice.fallback, wired.error);
}

/**
 * Puts a layer on a wire: the wire's source feeds the layer, the layer feeds the wire's target, and what
 * follows moves one step on to make room. A layer the shapes refuse there is added unwired at `fallback`.
 */
export function insertOnWire(
  graph: Graph,
  check: ShapeCheck,
  edgeId: string,
  node: GraphNode,
  fallback: Position,
): Insertion {
  const wire = graph.edges.find((e) => e.id === edgeId);
  if (!wire) return unwiredAt(node, fallback, 'That wire is no longer there.');
  const from = { node: wire.source, port: wire.sourceHandle };
  const to = [{ node: wire.target, port: wire.targetHandle }];
  return insertion(graph, check, node, { from, to, cut: [wire.id], fallback });
}

/**
 * Puts a layer after another: fed by its first output, and feeding whatever that output fed (a layer added
 * after the last one simply ends the chain). A layer that cannot follow it is added unwired at `fallback`.
 */
export function insertAfter(
  graph: Graph,
  check: ShapeCheck,
  afterId: string,
  node: GraphNode,
  fallback: Position,
): Insertion {
  const after = graph.nodes.find((n) => n.id === afterId)!;
  const port = nodePorts(after, graph.blocks).outputs[0];
  if (port === undefined)
    return unwiredAt(
      node,
      fallback,
      `${nodeTitle(after, graph.blocks)} ends a network: nothing can follow it.`,
    );
  const fed = graph.edges.filter((e) => e.source === afterId && e.sourceHandle === port);
  const to = fed.map((e) => ({ node: e.target, port: e.targetHandle }));
  return insertion(graph, check, node, {
    from: { node: afterId, port },
    to,
    cut: fed.map((e) => e.id),
    fallback,
  });
}
