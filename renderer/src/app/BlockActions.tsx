import { expandInstance } from '../../../shared/blocks/block-commands.ts';
import { blockRef } from '../../../shared/graph/document.ts';
import { dispatchInScope, useScope } from '../document/canvas-scope.ts';
import { useDocument } from '../document/document-store.ts';
import { commandEnabled, runCommand } from './editor-actions.ts';

/** Make a block from the selected layers, or open or unpack a selected block. */
export function BlockActions() {
  const { graph, editable } = useScope();
  const { selection, notify, select, openBlock } = useDocument();
  const single = selection.length === 1 ? graph.nodes.find((n) => n.id === selection[0]) : undefined;
  const isBlock = !!single && blockRef(single.type) !== null;
  const unpack = () => {
    const cmd = single && expandInstance(graph, single.id);
    if (!cmd) return;
    if (!cmd.ok) return notify({ kind: 'error', text: cmd.error });
    if (dispatchInScope(cmd.value, 'Unpack block')) select([]);
  };
  return (
    <>
      <button
        onClick={() => runCommand('makeBlock')}
        disabled={!commandEnabled('makeBlock')}
        title="Put the selected layers into a reusable block"
        data-testid="make-block"
      >
        Make block
      </button>
      <button
        onClick={() => single && openBlock(single.id)}
        disabled={!isBlock}
        title="See and edit the selected block's inside (or double-click it)"
        data-testid="open-block"
      >
        Open block
      </button>
      <button
        onClick={unpack}
        disabled={!isBlock || !editable}
        title="Replace the selected block by its layers"
        data-testid="unpack-block"
      >
        Unpack
      </button>
    </>
  );
}
