import { useEffect, useMemo, useState } from 'react';
import { nodeTitle, paramsSchema } from '../../../shared/blocks/node-ports.ts';
import type { GraphNode } from '../../../shared/graph/document.ts';
import { applyCommand } from '../../../shared/graph/commands.ts';
import { formatPath } from '../../../shared/graph/file-format.ts';
import { formatShape } from '../../../shared/shapes/shape.ts';
import { inferenceOf, useDocument, useGraph } from '../store/document-store.ts';
import { formatParam, parseParam } from './param-text.ts';

/** The output shape a graph shows for a node, or its problem. */
function outcome(graph: ReturnType<typeof useGraph>, id: string, order: 'CHW' | 'HWC'): string {
  const inf = inferenceOf(graph);
  const r = inf.nodes.get(id);
  if (r?.status === 'ok') return [...r.outputs.values()].map((s) => formatShape(s, order)).join(', ');
  return (
    inf.diagnostics.find((d) => d.nodeId === id && d.severity === 'error')?.message ?? 'waiting for inputs'
  );
}

function ParamField({ node, name, value }: { node: GraphNode; name: string; value: unknown }) {
  const graph = useGraph();
  const { dispatch, shapeOrder } = useDocument();
  const [text, setText] = useState(formatParam(value));
  useEffect(() => setText(formatParam(value)), [value]);
  const candidate = useMemo(() => ({ ...node.params, [name]: parseParam(text) }), [node.params, name, text]);
  const check = paramsSchema(node.type, graph.blocks)?.safeParse(candidate);
  const issue =
    check && !check.success
      ? (check.error.issues.find((i) => formatPath(i.path).startsWith(name)) ?? check.error.issues[0])
      : undefined;
  const changed = text !== formatParam(value);
  const preview =
    changed && !issue
      ? outcome(
          applyCommand(graph, { kind: 'setParams', id: node.id, params: candidate }).graph,
          node.id,
          shapeOrder,
        )
      : null;
  const commit = () => {
    if (changed && !issue) dispatch({ kind: 'setParams', id: node.id, params: candidate }, `Set ${name}`);
  };
  return (
    <label className={`param-field ${issue ? 'invalid' : ''}`}>
      <span>{name}</span>
      {typeof value === 'boolean' ? (
        <input
          type="checkbox"
          checked={value}
          onChange={(e) =>
            dispatch(
              { kind: 'setParams', id: node.id, params: { ...node.params, [name]: e.target.checked } },
              `Set ${name}`,
            )
          }
        />
      ) : (
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
          aria-invalid={issue ? true : undefined}
          data-testid={`param-${name}`}
        />
      )}
      {issue && changed && <small className="field-error">{issue.message}. Not applied.</small>}
      {preview && <small className="field-preview">Output would be {preview}</small>}
    </label>
  );
}

/** The selected node's parameters, each checked as typed; a bad value is explained and not applied. */
export function Inspector() {
  const graph = useGraph();
  const selection = useDocument((s) => s.selection);
  const shapeOrder = useDocument((s) => s.shapeOrder);
  const node = selection.length === 1 ? graph.nodes.find((n) => n.id === selection[0]) : undefined;
  if (!node) {
    return (
      <aside className="inspector">
        <p className="hint">
          {selection.length > 1
            ? `${selection.length} nodes selected.`
            : 'Select a node to see and edit its parameters.'}
        </p>
      </aside>
    );
  }
  const defaults = paramsSchema(node.type, graph.blocks)?.safeParse({});
  const params = { ...(defaults?.success ? (defaults.data as Record<string, unknown>) : {}), ...node.params };
  return (
    <aside className="inspector">
      <h2>{nodeTitle(node, graph.blocks)}</h2>
      <p className="node-id">
        {node.type} · {node.id}
      </p>
      <p className="node-output">Output: {outcome(graph, node.id, shapeOrder)}</p>
      {Object.entries(params).map(([name, value]) => (
        <ParamField key={`${node.id}:${name}`} node={node} name={name} value={value} />
      ))}
    </aside>
  );
}
