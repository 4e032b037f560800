import { useState, type DragEvent } from 'react';
import { builtinBlocks } from '../../../shared/blocks/catalogue.ts';
import { BLOCK_TYPE_PREFIX } from '../../../shared/graph/document.ts';
import { layerKinds } from '../../../shared/layers/registry.ts';
import { addFromPalette, PALETTE_MIME } from '../document/add-layer.ts';
import { TemplateList } from './TemplateList.tsx';
import { useGraph } from '../document/document-store.ts';

interface Entry {
  type: string;
  title: string;
  description: string;
}

function Section({ title, entries, filter }: { title: string; entries: Entry[]; filter: string }) {
  const shown = entries.filter((e) => `${e.title} ${e.description}`.toLowerCase().includes(filter));
  if (shown.length === 0) return null;
  const start = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(PALETTE_MIME, type);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <section>
      <h3>{title}</h3>
      {shown.map((e) => (
        <button
          key={e.type}
          className="palette-item"
          draggable
          onDragStart={(ev) => start(ev, e.type)}
          // A click or Enter adds it after the selected layer, wired in (what followed moves on).
          onClick={() => addFromPalette(e.type)}
          title={`${e.description} Drag it onto the canvas or onto a wire, or click to add it after the selected layer.`}
          data-testid={`palette-${e.type}`}
        >
          {e.title}
        </button>
      ))}
    </section>
  );
}

/** Layers, blocks and the user's blocks to drag onto the canvas; templates to open. */
export function Palette() {
  const [filter, setFilter] = useState('');
  const graph = useGraph();
  const q = filter.trim().toLowerCase();
  const layers = layerKinds.map((k) => ({ type: k.type, title: k.title, description: k.description }));
  const blocks = builtinBlocks.map((b) => ({
    type: BLOCK_TYPE_PREFIX + b.ref,
    title: b.title,
    description: b.description,
  }));
  const mine = graph.blocks.map((b) => ({
    type: BLOCK_TYPE_PREFIX + b.id,
    title: b.name,
    description: b.description ?? 'Your block',
  }));
  return (
    <aside className="palette">
      <input
        type="search"
        placeholder="Search layers and blocks"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        aria-label="Search the palette"
      />
      <Section title="Layers" entries={layers} filter={q} />
      <Section title="Blocks" entries={blocks} filter={q} />
      <Section title="My blocks" entries={mine} filter={q} />
      <TemplateList filter={q} />
    </aside>
  );
}
