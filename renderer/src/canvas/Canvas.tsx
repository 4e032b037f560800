import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnSelectionChangeParams,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { GraphCommand } from '../../../shared/graph/commands.ts';
import {
  connectionEdge,
  connectionProblem,
  type Connection as GraphConnection,
} from '../../../shared/editing/connection-check.ts';
import { dispatchInScope, provideCanvasDelete, useScope } from '../document/canvas-scope.ts';
import { useDocument } from '../document/document-store.ts';
import { addFromPalette, PALETTE_MIME } from '../document/add-layer.ts';
import { openingViewport } from './opening-view.ts';
import { useRevealAdded } from './use-reveal-added.ts';
import { nodeBoxes, type Size } from '../../../shared/layout/node-box.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import { shallow } from 'zustand/shallow';
import { useFitProblems } from '../training/use-current-fit.ts';
import { BlockPath } from './BlockPath.tsx';
import { BoundaryNode, LayerNode } from './LayerNode.tsx';
import { toFlowEdges, toFlowNodes, type LayerFlowNode } from './to-flow.ts';

const nodeTypes = { layer: LayerNode, boundary: BoundaryNode };

/** The wire under a point of the window, if any (React Flow draws each edge with a wide hit area). */
function wireAt(x: number, y: number): string | null {
  const edge = document
    .elementsFromPoint(x, y)
    .map((el) => el.closest('.react-flow__edge'))
    .find((el) => el !== null);
  return edge?.getAttribute('data-id') ?? null;
}

const asGraphConnection = (c: Connection | Edge): GraphConnection => ({
  source: c.source,
  sourceHandle: c.sourceHandle ?? 'out',
  target: c.target,
  targetHandle: c.targetHandle ?? 'in',
});

/** The canvas: nodes and edges from the document; every change goes back through a graph command. */
export function Canvas() {
  const { graph, inference, fields, editable, preview } = useScope();
  const shapeOrder = useDocument((s) => s.shapeOrder);
  const selection = useDocument((s) => s.selection);
  const select = useDocument((s) => s.select);
  const openBlock = useDocument((s) => s.openBlock);
  const { screenToFlowPosition, deleteElements, getNodes, getEdges } = useReactFlow<LayerFlowNode>();
  // Delete and Backspace come from the app's one key router, not React Flow's own key tracking, which
  // lost the first press after any shortcut (a modifier it still thought held).
  useEffect(
    () =>
      provideCanvasDelete(
        () =>
          void deleteElements({
            nodes: getNodes().filter((n) => n.selected),
            edges: getEdges().filter((e) => e.selected),
          }),
      ),
    [deleteElements, getNodes, getEdges],
  );
  const fitProblems = useFitProblems();
  const derived = useMemo(
    () => toFlowNodes(graph, inference, shapeOrder, selection, fields, fitProblems),
    [graph, inference, shapeOrder, selection, fields, fitProblems],
  );
  const boxes = useMemo(() => nodeBoxes(graph, inference, shapeOrder), [graph, inference, shapeOrder]);
  const sizeOf = useCallback((id: string) => boxes.get(id), [boxes]);
  const pane = useRef<HTMLDivElement>(null);
  useRevealAdded(graph, selection, sizeOf, pane);
  const derivedEdges = useMemo(
    () => toFlowEdges(graph, inference, shapeOrder),
    [graph, inference, shapeOrder],
  );
  // Edges are selected here (a click, then Delete removes a wrong wire); the document has no edge selection.
  const [edges, setEdges] = useState<Edge[]>(derivedEdges);
  useEffect(
    () =>
      setEdges((current) => {
        const selected = new Set(current.filter((e) => e.selected).map((e) => e.id));
        return derivedEdges.map((e) => (selected.has(e.id) ? { ...e, selected: true } : e));
      }),
    [derivedEdges],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => setEdges((es) => applyEdgeChanges(changes, es)),
    [],
  );
  // Drags move the local copy; the document gets one move command when the gesture ends.
  const [nodes, setNodes] = useState<LayerFlowNode[]>(derived);
  useEffect(
    () =>
      // Keep each node's measured size: React Flow measures a node only when its size changes, and draws no
      // edge to a node it has not measured.
      setNodes((current) => {
        const measured = new Map(current.map((n) => [n.id, n.measured]));
        return derived.map((n) => (measured.get(n.id) ? { ...n, measured: measured.get(n.id) } : n));
      }),
    [derived],
  );
  useOpeningView(graph, boxes);
  const [refusal, setRefusal] = useState<{ message: string; x: number; y: number } | null>(null);
  // Where the pointer is: a refusal shows beside it from the first moment (it showed in the window's corner
  // until the pointer moved again).
  const pointer = useRef({ x: 0, y: 0 });

  const onNodesChange = useCallback(
    (changes: NodeChange<LayerFlowNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns)),
    [],
  );
  const onNodeDragStop = useCallback(
    (_: unknown, __: unknown, dragged: LayerFlowNode[]) =>
      dispatchInScope(
        { kind: 'moveNodes', moves: dragged.map((n) => ({ id: n.id, position: n.position })) },
        'Move',
      ),
    [],
  );
  const isValidConnection = useCallback(
    (c: Connection | Edge) => {
      const problem = connectionProblem(graph, asGraphConnection(c), inference, preview);
      setRefusal(problem ? { message: problem, ...pointer.current } : null);
      return problem === null;
    },
    [graph, inference, preview],
  );
  const onConnect = useCallback(
    (c: Connection) =>
      dispatchInScope({ kind: 'addEdges', edges: [connectionEdge(graph, asGraphConnection(c))] }, 'Connect'),
    [graph],
  );
  const onDelete = useCallback(({ nodes: gone, edges: cut }: { nodes: LayerFlowNode[]; edges: Edge[] }) => {
    const ids = new Set(gone.map((n) => n.id));
    const commands: GraphCommand[] = [];
    const loose = cut.filter((e) => !ids.has(e.source) && !ids.has(e.target)).map((e) => e.id);
    if (loose.length) commands.push({ kind: 'removeEdges', ids: loose });
    if (ids.size) commands.push({ kind: 'removeNodes', ids: [...ids] });
    if (commands.length) dispatchInScope({ kind: 'batch', commands }, 'Delete');
  }, []);
  const onSelectionChange = useCallback(
    ({ nodes: picked }: OnSelectionChangeParams) => select(picked.map((n) => n.id)),
    [select],
  );
  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (!type || !editable) return;
      e.preventDefault();
      const at = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addFromPalette(type, { kind: 'drop', at, wire: wireAt(e.clientX, e.clientY) });
    },
    [editable, screenToFlowPosition],
  );

  return (
    <div
      className="canvas"
      ref={pane}
      onPointerMove={(e) => {
        pointer.current = { x: e.clientX, y: e.clientY };
        if (refusal) setRefusal({ ...refusal, ...pointer.current });
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onConnectEnd={() => setRefusal(null)}
        isValidConnection={isValidConnection}
        onDelete={onDelete}
        onNodeDoubleClick={(_, node) => node.data.isBlock && openBlock(node.id)}
        nodesDraggable={editable}
        nodesConnectable={editable}
        onSelectionChange={onSelectionChange}
        onDrop={onDrop}
        onDragOver={(e) => e.preventDefault()}
        deleteKeyCode={null}
        minZoom={0.05}
      >
        <Background />
        <Controls />
        <MiniMap pannable zoomable />
      </ReactFlow>
      <BlockPath />
      {refusal && (
        <div
          className="connection-refusal"
          role="alert"
          style={{ left: refusal.x + 14, top: refusal.y + 14 }}
        >
          {refusal.message}
        </div>
      )}
      {graph.nodes.length === 0 && (
        <div className="empty-state">
          <h2>An empty canvas</h2>
          <p>
            Drag an Input from the palette to start, or open a template (LeNet, VGG, ResNet…) from the
            palette.
          </p>
        </div>
      )}
    </div>
  );
}

/**
 * Places the first view of a graph that opens with nodes once the canvas has its size; an empty canvas keeps
 * zoom 1, so the first layer dropped stays where it was dropped instead of the view jumping to it.
 */
function useOpeningView(graph: Graph, boxes: ReadonlyMap<string, Size>): void {
  const { setViewport } = useReactFlow();
  const pane = useStore((s) => ({ width: s.width, height: s.height }), shallow);
  const [opening] = useState(() => graph);
  const placed = useRef(false);
  useEffect(() => {
    if (placed.current || pane.width === 0 || pane.height === 0) return;
    placed.current = true;
    if (opening.nodes.length > 0) void setViewport(openingViewport(opening, (id) => boxes.get(id)!, pane));
  }, [pane, opening, boxes, setViewport]);
}
