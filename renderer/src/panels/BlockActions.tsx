import { expandInstance, makeBlockFromSelection } from '../../../shared/blocks/block-commands.ts';
import { blockRef } from '../../../shared/graph/document.ts';
import { useDocument, useGraph } from '../store/document-store.ts';

/** Make a block from the selected layers, or unpack a selected block into its layers. */
export function BlockActions() {
  const graph = useGraph();
  const { selection, dispatch, notify, select } = useDocument();
  const single = selection.length === 1 ? graph.nodes.find((n) => n.id === selection[0]) : undefined;
  const make = () => {
    const name = window.prompt('Name of the new block', 'My block');
    if (!name) return;
    const cmd = makeBlockFromSelection(graph, selection, { name });
    if (!cmd.ok) return notify({ kind: 'error', text: cmd.error });
    dispatch(cmd.value, 'Make block');
    select([]);
  };
  const unpack = () => {
    const cmd = single && expandInstance(graph, single.id);
    if (!cmd) return;
    if (!cmd.ok) return notify({ kind: 'error', text: cmd.error });
    dispatch(cmd.value, 'Unpack block');
    select([]);
  };
  return (
    <>
      <button
        onClick={make}
        disabled={selection.length === 0}
        title="Put the selected layers into a reusable block"
        data-testid="make-block"
      >
        Make block
      </button>
      <button
        onClick={unpack}
        disabled={!single || blockRef(single.type) === null}
        title="Replace the selected block by its layers"
        data-testid="unpack-block"
      >
        Unpack
      </button>
    </>
  );
}
