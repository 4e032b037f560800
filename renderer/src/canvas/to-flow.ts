import type { Edge, Node } from '@xyflow/react';
import { isBoundaryNode } from '../../../shared/blocks/block-kind.ts';
import { nodePorts, nodeTitle, paramSummary } from '../../../shared/blocks/node-ports.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import { blockRef } from '../../../shared/graph/document.ts';
import type { GraphInference, NodeInference } from '../../../shared/shapes/infer-shapes.ts';
import { formatShape, type ShapeOrder } from '../../../shared/shape.ts';
import type { ReceptiveField } from '../../../shared/shapes/receptive-field.ts';
import { nodeBoxes } from '../../../shared/layout/node-box.ts';
import { portSides, type PortSides } from '../../../shared/layout/port-sides.ts';
import type { Diagnostic } from '../../../shared/shapes/diagnostic.ts';

export type LayerNodeData = {
  id: string;
  title: string;
  type: string;
  summary: string;
  inputs: readonly string[];
  outputs: readonly string[];
  result: NodeInference | undefined;
  problem: string | undefined;
  order: ShapeOrder;
  isBlock: boolean;
  /** What it sees of the input image, when known. */
  field: ReceptiveField | undefined;
  /** The sides its inputs and outputs sit on: facing the nodes they are wired to. */
  sides: PortSides;
};

/** A layer or block; 'boundary' is a block's input or output, shown when the block is open. */
export type LayerFlowNode = Node<LayerNodeData, 'layer' | 'boundary'>;

export function toFlowNodes(
  graph: Graph,
  inference: GraphInference,
  order: ShapeOrder,
  selection: readonly string[],
  fields: ReadonlyMap<string, ReceptiveField> = new Map(),
  /** Problems beyond the shapes' (how the design misfits the data chosen), marked the same way. */
  more: readonly Diagnostic[] = [],
): LayerFlowNode[] {
  const problems = new Map<string, string>();
  for (const d of [...inference.diagnostics, ...more])
    if (d.nodeId && d.severity === 'error' && !problems.has(d.nodeId)) problems.set(d.nodeId, d.message);
  const selected = new Set(selection);
  const boxes = nodeBoxes(graph, inference, order);
  const at = new Map(graph.nodes.map((n) => [n.id, n.position]));
  const sides = portSides(graph, (id) => ({ ...at.get(id)!, ...boxes.get(id)! }));
  return graph.nodes.map((node) => {
    const ports = nodePorts(node, graph.blocks);
    return {
      id: node.id,
      type: isBoundaryNode(node) ? 'boundary' : 'layer',
      position: node.position,
      selected: selected.has(node.id),
      data: {
        id: node.id,
        title: nodeTitle(node, graph.blocks),
        type: node.type,
        summary: paramSummary(node),
        inputs: ports.inputs,
        outputs: ports.outputs,
        result: inference.nodes.get(node.id),
        problem: problems.get(node.id),
        order,
        isBlock: blockRef(node.type) !== null,
        field: fields.get(node.id),
        sides: sides.get(node.id)!,
      },
    };
  });
}

export function toFlowEdges(graph: Graph, inference: GraphInference, order: ShapeOrder): Edge[] {
  return graph.edges.map((e) => {
    const shape = inference.edges.get(e.id);
    return {
      id: e.id,
      source: e.source,
      sourceHandle: e.sourceHandle,
      target: e.target,
      targetHandle: e.targetHandle,
      label: shape ? formatShape(shape, order) : undefined,
      className: shape ? 'tensor-edge' : 'tensor-edge unknown',
    };
  });
}
