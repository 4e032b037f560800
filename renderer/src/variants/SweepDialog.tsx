import { useState } from 'react';
import { kindTitle } from '../../../shared/blocks/node-ports.ts';
import {
  expandSweep,
  parseSweepValues,
  REPEAT,
  sweepableParams,
  type SweepAxis,
} from '../../../shared/compare/sweep.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import { FormDialog } from '../ui/FormDialog.tsx';
import { useDocument } from '../document/document-store.ts';
import { addSweep } from './variant-actions.ts';

interface AxisDraft {
  node: string;
  param: string;
  values: string;
}

/**
 * The nodes a sweep can set, with the parameters each declares (layers, blocks, user blocks' exposed ones)
 * and `repeat` (how many times it stands in series) where it can repeat.
 */
function sweepable(graph: Graph): { id: string; title: string; params: string[] }[] {
  return graph.nodes.flatMap((n) => {
    const params = sweepableParams(graph, n.id);
    const kind = kindTitle(n.type, graph.blocks);
    return params.length ? [{ id: n.id, title: `${n.label ?? n.id} (${kind})`, params }] : [];
  });
}

/** The axes as typed, or why they cannot sweep. */
function axesOf(drafts: AxisDraft[]): { axes: SweepAxis[] } | { problem: string } {
  const axes: SweepAxis[] = [];
  for (const d of drafts) {
    const values = parseSweepValues(d.values);
    if (!values.ok) return { problem: `${d.node}.${d.param}: ${values.error}` };
    axes.push({ node: d.node, param: d.param, values: values.value });
  }
  return { axes };
}

function AxisFields(props: {
  draft: AxisDraft;
  nodes: ReturnType<typeof sweepable>;
  current: unknown;
  index: number;
  onChange(d: AxisDraft): void;
}) {
  const { draft, nodes, index } = props;
  const params = nodes.find((n) => n.id === draft.node)?.params ?? [];
  return (
    <fieldset className="sweep-axis">
      <label>
        Node
        <select
          value={draft.node}
          data-testid={`sweep-node-${index}`}
          onChange={(e) => {
            const first = nodes.find((n) => n.id === e.target.value)?.params[0] ?? '';
            props.onChange({ ...draft, node: e.target.value, param: first });
          }}
        >
          {nodes.map((n) => (
            <option key={n.id} value={n.id}>
              {n.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        Parameter
        <select
          value={draft.param}
          data-testid={`sweep-param-${index}`}
          onChange={(e) => props.onChange({ ...draft, param: e.target.value })}
        >
          {params.map((p) => (
            <option key={p} value={p}>
              {p === REPEAT ? 'repeat (times in series)' : p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Values
        <input
          value={draft.values}
          placeholder="1,2,3 or 16..64:16"
          data-testid={`sweep-values-${index}`}
          onChange={(e) => props.onChange({ ...draft, values: e.target.value })}
        />
      </label>
      <span className="hint">
        now:{' '}
        {draft.param === REPEAT
          ? '1'
          : props.current === undefined
            ? 'default'
            : JSON.stringify(props.current)}
      </span>
    </fieldset>
  );
}

/** Sweep…: one variant of the shown design per combination of parameter values. */
/** `onSwept`: what follows once the variants are made (the app opens the compare view). */
export function SweepDialog({ onClose, onSwept }: { onClose(): void; onSwept(): void }) {
  const graph = useDocument((s) => s.history.graph);
  const nodes = sweepable(graph);
  const first = nodes[0];
  const [drafts, setDrafts] = useState<AxisDraft[]>(
    first ? [{ node: first.id, param: first.params[0]!, values: '' }] : [],
  );
  const [failed, setFailed] = useState<string | null>(null);
  const parsed = axesOf(drafts);
  const preview = 'axes' in parsed ? expandSweep(graph, parsed.axes) : null;
  const problem = 'problem' in parsed ? parsed.problem : preview && !preview.ok ? preview.error : null;
  const count = preview?.ok ? preview.value.length : 0;
  return (
    <FormDialog
      label="Sweep a parameter"
      title="Sweep a parameter"
      submit={count ? `Make ${count} variants` : 'Make variants'}
      submitDisabled={!count}
      submitTestId="confirm-sweep"
      onSubmit={async () => {
        if (!('axes' in parsed)) return;
        const why = await addSweep(parsed.axes);
        setFailed(why);
        if (!why) {
          onClose();
          onSwept();
        }
      }}
      onClose={onClose}
    >
      {!first && <p className="hint">This design has no node with parameters to sweep: add layers first.</p>}
      {drafts.map((d, i) => (
        <AxisFields
          key={i}
          index={i}
          draft={d}
          nodes={nodes}
          current={graph.nodes.find((n) => n.id === d.node)?.params[d.param]}
          onChange={(next) => setDrafts(drafts.map((x, j) => (j === i ? next : x)))}
        />
      ))}
      {first && drafts.length < 3 && (
        <button
          type="button"
          onClick={() => setDrafts([...drafts, { node: first.id, param: first.params[0]!, values: '' }])}
        >
          + Another parameter (every combination)
        </button>
      )}
      {(failed ?? (drafts.some((d) => d.values.trim()) ? problem : null)) && (
        <p className="field-error" data-testid="sweep-problem">
          {failed ?? problem}
        </p>
      )}
      {preview?.ok && (
        <p className="hint" data-testid="sweep-preview">
          {preview.value.map((v) => v.name).join(' · ')}
        </p>
      )}
    </FormDialog>
  );
}
