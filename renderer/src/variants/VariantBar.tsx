import { useEffect, useRef, useState } from 'react';
import { useDocument } from '../document/document-store.ts';
import type { EditorCommandId } from '../../../shared/api/editor-commands.ts';
import { removeVariant, renameVariant } from './variant-actions.ts';

/** A variant's tab: click shows it, double-click renames it, × removes it. */
function VariantTab(props: { index: number; name: string; shown: boolean; removable: boolean }) {
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const tab = useRef<HTMLSpanElement>(null);
  // The shown tab is always in view: a new variant is shown at the end, past the strip's edge, and a
  // narrower window shortens the strip under it.
  useEffect(() => {
    const strip = tab.current?.parentElement;
    if (!props.shown || !strip) return;
    const reveal = () => tab.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    reveal();
    const watch = new ResizeObserver(reveal);
    watch.observe(strip);
    return () => watch.disconnect();
  }, [props.shown]);
  const commit = (text: string) => {
    const why = renameVariant(props.index, text);
    setProblem(why);
    if (!why) setEditing(false);
  };
  if (editing)
    return (
      <input
        className="variant-name"
        autoFocus
        defaultValue={props.name}
        aria-label="Variant name"
        title={problem ?? 'Enter keeps the name, Escape leaves it'}
        aria-invalid={problem !== null}
        data-testid="variant-name"
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(e.currentTarget.value);
          if (e.key === 'Escape') setEditing(false);
        }}
        onBlur={(e) => commit(e.currentTarget.value)}
      />
    );
  return (
    <span ref={tab} className={props.shown ? 'variant-tab shown' : 'variant-tab'}>
      <button
        onClick={() => useDocument.getState().showVariant(props.index)}
        onDoubleClick={() => setEditing(true)}
        title="Show this variant; double-click to rename it"
        aria-pressed={props.shown}
        data-testid={`variant-${props.index}`}
      >
        {props.name}
      </button>
      {props.removable && (
        <button
          className="variant-remove"
          onClick={() => void removeVariant(props.index)}
          title={`Remove “${props.name}”`}
          aria-label={`Remove ${props.name}`}
        >
          ×
        </button>
      )}
    </span>
  );
}

/** The document's variants above the canvas, and what to do with them. */
/** The variant tabs and the commands on variants, which the app runs (`run`: its command table). */
export function VariantBar({ run }: { run(id: EditorCommandId): void }) {
  const variants = useDocument((s) => s.variants);
  const shown = useDocument((s) => s.variant);
  return (
    <nav className="variant-bar" aria-label="Variants" data-testid="variant-bar">
      <span className="variant-label">
        {variants.length > 1 ? `Variants (${variants.length})` : 'Design'}
      </span>
      <div
        className="variant-tabs"
        // A mouse wheel scrolls the strip sideways (it has no other way to without a trackpad).
        onWheel={(e) => (e.currentTarget.scrollLeft += e.deltaY)}
      >
        {variants.map((v, i) => (
          <VariantTab
            key={v.id}
            index={i}
            name={v.name}
            shown={i === shown}
            removable={variants.length > 1}
          />
        ))}
      </div>
      <button
        onClick={() => run('duplicateVariant')}
        title="Keep this design and edit a copy of it side by side"
        data-testid="duplicate-variant"
      >
        + Duplicate as variant
      </button>
      <button onClick={() => run('sweep')} title="One variant per value of a parameter" data-testid="sweep">
        Sweep…
      </button>
      <button onClick={() => run('compare')} title="Variants and runs side by side" data-testid="compare">
        Compare
      </button>
    </nav>
  );
}
