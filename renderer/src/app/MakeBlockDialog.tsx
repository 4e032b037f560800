import { useState } from 'react';
import { FormDialog } from '../ui/FormDialog.tsx';
import { makeBlockFromSelection } from '../../../shared/blocks/block-commands.ts';
import { defaultParams, nodeTitle } from '../../../shared/blocks/node-ports.ts';
import { blockParamSchema, type BlockParam } from '../../../shared/graph/document.ts';
import { dispatchInScope, useScope } from '../document/canvas-scope.ts';
import { useDocument } from '../document/document-store.ts';

/** One parameter of one selected layer: exposed or not, and under which name. */
interface Choice {
  node: string;
  param: string;
  exposed: boolean;
  name: string;
}

/**
 * Names the block made from the selection and picks the parameters each instance may set. Parameters given
 * the same name are bound together: one value on the instance sets them all.
 */
export function MakeBlockDialog({ onClose }: { onClose(): void }) {
  const { graph } = useScope();
  const { selection, select, notify } = useDocument();
  const [name, setName] = useState('My block');
  const nodes = graph.nodes.filter((n) => selection.includes(n.id));
  const [choices, setChoices] = useState<Choice[]>(() =>
    nodes.flatMap((n) => {
      const keys = Object.keys({ ...defaultParams(n.type, graph.blocks), ...n.params });
      return keys.map((param) => ({ node: n.id, param, exposed: false, name: param }));
    }),
  );
  const exposed = choices.filter((c) => c.exposed);
  const badName = exposed.find((c) => !blockParamSchema.shape.name.safeParse(c.name).success);
  const params: BlockParam[] = [...new Set(exposed.map((c) => c.name))].map((pname) => ({
    name: pname,
    bindings: exposed.filter((c) => c.name === pname).map((c) => ({ node: c.node, param: c.param })),
  }));
  const update = (i: number, change: Partial<Choice>) =>
    setChoices((cs) => cs.map((c, k) => (k === i ? { ...c, ...change } : c)));
  const make = () => {
    const cmd = makeBlockFromSelection(graph, selection, { name: name.trim(), params });
    if (!cmd.ok) return notify({ kind: 'error', text: cmd.error });
    if (dispatchInScope(cmd.value, 'Make block')) select([]);
    onClose();
  };
  return (
    <FormDialog
      label="Make block"
      title={`Make a block from ${nodes.length} layers`}
      submit="Make block"
      submitDisabled={!name.trim() || !!badName}
      submitTestId="confirm-make-block"
      onSubmit={make}
      onClose={onClose}
    >
      <label>
        Name{' '}
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="block-name" autoFocus />
      </label>
      <p className="hint">
        Tick the parameters each instance may set. Give two the same name to set them with one value.
      </p>
      <table className="expose-table">
        <tbody>
          {choices.map((c, i) => (
            <tr key={`${c.node}:${c.param}`}>
              <td>
                <input
                  type="checkbox"
                  checked={c.exposed}
                  onChange={(e) => update(i, { exposed: e.target.checked })}
                  data-testid={`expose-${c.node}-${c.param}`}
                  aria-label={`Expose ${c.param} of ${c.node}`}
                />
              </td>
              <td>
                {nodeTitle(
                  graph.nodes.find((n) => n.id === c.node)!,
                  graph.blocks,
                )}{' '}
                <code>{c.node}</code>
              </td>
              <td>{c.param}</td>
              <td>
                {c.exposed && (
                  <input
                    value={c.name}
                    onChange={(e) => update(i, { name: e.target.value })}
                    aria-label={`Name of the exposed ${c.param}`}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {badName && (
        <p className="field-error">
          “{badName.name}” cannot name a parameter: use letters, digits and _, not starting with a digit.
        </p>
      )}
    </FormDialog>
  );
}
