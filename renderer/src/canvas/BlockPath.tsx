import { scopeOf, useScope } from '../document/canvas-scope.ts';
import { useDocument } from '../document/document-store.ts';

/** Where the canvas is: the graph, or the block opened in it (and in that one…), with the way back out. */
export function BlockPath() {
  const history = useDocument((s) => s.history);
  const openBlocks = useDocument((s) => s.openBlocks);
  const showDepth = useDocument((s) => s.showDepth);
  const { inside, editable } = useScope();
  if (!inside) return null;
  const titles = openBlocks.map(
    (id, i) => scopeOf({ history, openBlocks: openBlocks.slice(0, i + 1) }).inside?.title ?? id,
  );
  return (
    <nav className="block-path" aria-label="Open block" data-testid="block-path">
      <button onClick={() => showDepth(0)}>Graph</button>
      {titles.map((title, i) => (
        <span key={openBlocks[i]}>
          {' › '}
          {i < titles.length - 1 ? (
            <button onClick={() => showDepth(i + 1)}>{title}</button>
          ) : (
            <strong>{title}</strong>
          )}
        </span>
      ))}
      <button
        className="close-block"
        onClick={() => showDepth(openBlocks.length - 1)}
        title="Close the block (Esc)"
      >
        Close block
      </button>
      <p className="hint">
        {editable
          ? 'Editing this block’s definition: every instance of it changes too. Undo works as usual.'
          : 'A built-in block, shown read-only: set its parameters on the block node, or Unpack it to edit its layers.'}
      </p>
    </nav>
  );
}
