import { fieldWords } from '../../../shared/shapes/receptive-field.ts';
import { formatBytes } from '../../../shared/shapes/quantity-format.ts';
import { trainingCost } from '../../../shared/train/training-memory.ts';
import { useTrainingChoice } from '../document/recipe.ts';
import { useEffect, useMemo, useState } from 'react';
import { isBoundaryNode } from '../../../shared/blocks/block-kind.ts';
import { exposedParams, type ExposedParam } from '../../../shared/editing/block-inside.ts';
import { defaultParams, nodeTitle, paramChoices, paramsSchema } from '../../../shared/blocks/node-ports.ts';
import { applyCommand } from '../../../shared/graph/commands.ts';
import type { GraphNode } from '../../../shared/graph/document.ts';
import { paramProblem } from '../../../shared/layers/param-words.ts';
import type { GraphInference } from '../../../shared/shapes/infer-shapes.ts';
import { formatShape, type ShapeOrder } from '../../../shared/shape.ts';
import { dispatchInScope, useScope } from '../document/canvas-scope.ts';
import { useDocument } from '../document/document-store.ts';
import { formatParam, parseParam } from './param-text.ts';
import './inspector.css';

/** What an inference says is wrong with a node's parameters, if anything. */
const badParams = (inf: GraphInference, id: string) =>
  inf.diagnostics.find((d) => d.nodeId === id && d.code === 'badParams')?.message;

/** The output shape an inference shows for a node, or its problem. */
function outcome(inf: GraphInference, id: string, order: ShapeOrder): string {
  const r = inf.nodes.get(id);
  if (r?.status === 'ok') return [...r.outputs.values()].map((s) => formatShape(s, order)).join(', ');
  return (
    inf.diagnostics.find((d) => d.nodeId === id && d.severity === 'error')?.message ?? 'waiting for inputs'
  );
}

function ParamField(props: { node: GraphNode; name: string; value: unknown; exposed?: ExposedParam }) {
  const { node, name, value, exposed } = props;
  // This instance's own value: it sets it on its block node, where it is edited.
  const exposedAs = exposed?.setByInstance ? exposed.name : undefined;
  const scope = useScope();
  const { graph, preview } = scope;
  const editable = scope.editable && exposedAs === undefined;
  const shapeOrder = useDocument((s) => s.shapeOrder);
  const [text, setText] = useState(formatParam(value));
  useEffect(() => setText(formatParam(value)), [value]);
  const schema = paramsSchema(node.type, graph.blocks);
  const choices = paramChoices(schema, name);
  const candidate = useMemo(() => ({ ...node.params, [name]: parseParam(text) }), [node.params, name, text]);
  const own = schema ? paramProblem(schema, candidate, name) : null;
  const changed = text !== formatParam(value);
  const after =
    changed && !own
      ? preview(applyCommand(graph, { kind: 'setParams', id: node.id, params: candidate }).graph)
      : null;
  // A user block's exposed value is checked by the layers it sets: a value they refuse is refused here too.
  const refusedInside = after && !badParams(scope.inference, node.id) ? badParams(after, node.id) : undefined;
  const issue = own ?? (refusedInside ? { param: '', words: refusedInside.replace(/\.$/, '') } : null);
  const previewed = after && !issue ? outcome(after, node.id, shapeOrder) : null;
  const set = (params: Record<string, unknown>) =>
    dispatchInScope({ kind: 'setParams', id: node.id, params }, `Set ${name}`);
  const commit = () => {
    if (changed && !issue) set(candidate);
  };
  let field;
  if (typeof value === 'boolean') {
    field = (
      <input
        type="checkbox"
        checked={value}
        disabled={!editable}
        onChange={(e) => set({ ...node.params, [name]: e.target.checked })}
        data-testid={`param-${name}`}
      />
    );
  } else if (choices) {
    field = (
      <select
        value={String(value)}
        disabled={!editable}
        onChange={(e) => set({ ...node.params, [name]: e.target.value })}
        data-testid={`param-${name}`}
      >
        {choices.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
    );
  } else {
    field = (
      <input
        value={text}
        readOnly={!editable}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        aria-invalid={issue ? true : undefined}
        data-testid={`param-${name}`}
      />
    );
  }
  return (
    <label className={`param-field ${issue ? 'invalid' : ''} ${exposedAs ? 'exposed' : ''}`}>
      <span>{name}</span>
      {field}
      {issue && changed && (
        <small className="field-error">
          {issue.param && issue.param !== name ? `${issue.param}: ` : ''}
          {issue.words}. Not applied.
        </small>
      )}
      {previewed && <small className="field-preview">Output would be {previewed}</small>}
      {exposedAs && (
        <small className="field-exposed" data-testid={`exposed-${name}`}>
          This instance’s “{exposedAs}”: set it on the block node.
        </small>
      )}
    </label>
  );
}

/** Which of an inner layer's parameters the open user block exposes, said once above them. */
function ExposedNote({ exposed }: { exposed: ReadonlyMap<string, ExposedParam> }) {
  if (exposed.size === 0) return null;
  const list = [...exposed].map(([param, { name }]) => `${param} → “${name}”`);
  return (
    <p className="hint" data-testid="exposed-note">
      Exposed as block parameters ({list.join(', ')}): where this instance sets one on its block node, its
      value is shown and edited there; the other values belong to the block’s definition, which every instance
      follows.
    </p>
  );
}

/** What the node sees of the input image, and what training it holds at the recipe's batch and optimizer. */
function NodeCosts({ id }: { id: string }) {
  const { inference, fields } = useScope();
  const { batch, optimizer } = useTrainingChoice();
  const result = inference.nodes.get(id);
  const field = fields.get(id);
  const cost = result?.status === 'ok' ? trainingCost(result, batch, optimizer) : null;
  return (
    <div className="node-costs" data-testid="node-costs">
      {field && (
        <p title="How much of the input image one position of its output sees, over every path into it">
          {field.kind === 'whole'
            ? 'Sees the whole input.'
            : `Receptive field ${fieldWords(field).size}, jump ${fieldWords(field).jump}, first centred at ${fieldWords(field).start}.`}
        </p>
      )}
      {cost && (
        <p title="Float32 bytes held while training: the activations are kept for the backward pass, and their gradients take as much again at the peak">
          Training at batch {batch} ({optimizer.kind}): weights {formatBytes(cost.weights)}, gradients{' '}
          {formatBytes(cost.gradients)}, optimizer state {formatBytes(cost.optimizerState)}, activations{' '}
          {formatBytes(cost.activations)}.
        </p>
      )}
    </div>
  );
}

/** The selected node's parameters, each checked as typed; a bad value is explained and not applied. */
export function Inspector() {
  const { graph, inference, editable, inside } = useScope();
  const selection = useDocument((s) => s.selection);
  const shapeOrder = useDocument((s) => s.shapeOrder);
  const node = selection.length === 1 ? graph.nodes.find((n) => n.id === selection[0]) : undefined;
  if (!node || isBoundaryNode(node)) {
    return (
      <aside className="inspector">
        <p className="hint">
          {selection.length > 1
            ? `${selection.length} nodes selected.`
            : 'Select a node to see and edit its parameters. Double-click a block to open it.'}
        </p>
      </aside>
    );
  }
  const params = { ...defaultParams(node.type, graph.blocks), ...node.params };
  const exposed = exposedParams(inside, node.id);
  return (
    <aside className="inspector">
      <h2>{nodeTitle(node, graph.blocks)}</h2>
      <p className="node-id">
        {node.type} · {node.id}
      </p>
      <p className="node-output">Output: {outcome(inference, node.id, shapeOrder)}</p>
      <NodeCosts id={node.id} />
      {!editable && <p className="hint">Read-only: this layer belongs to a built-in block.</p>}
      <ExposedNote exposed={exposed} />
      {Object.entries(params).map(([name, value]) => (
        <ParamField
          key={`${node.id}:${name}`}
          node={node}
          name={name}
          value={value}
          exposed={exposed.get(name)}
        />
      ))}
    </aside>
  );
}
