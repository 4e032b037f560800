import { useMemo, useState } from 'react';
import { nodeTitle } from '../../../shared/blocks/node-ports.ts';
import { inferenceOf, useDocument } from '../document/document-store.ts';
import { recipeField } from '../../../shared/train/recipe-fields.ts';
import { setRecipeField } from '../document/recipe.ts';
import { useRecipe } from '../document/recipe.ts';

type FreezeChoice = 'none' | 'features' | 'chosen';

const FREEZES: { value: FreezeChoice; label: string }[] = [
  { value: 'none', label: 'nothing' },
  { value: 'features', label: 'all but the head' },
  { value: 'chosen', label: 'chosen layers…' },
];

/** The design's nodes that have trainable weights, in graph order, with their counts. */
function useWeightedNodes() {
  const graph = useDocument((s) => s.history.graph);
  return useMemo(() => {
    const inference = inferenceOf(graph);
    return graph.nodes.flatMap((node) => {
      const r = inference.nodes.get(node.id);
      const trainable = r?.status === 'ok' ? r.params.trainable : 0;
      return trainable > 0 ? [{ id: node.id, title: nodeTitle(node, graph.blocks), trainable }] : [];
    });
  }, [graph]);
}

/**
 * What stays fixed while the rest trains (to start from a kept run and retrain part of it): nothing, every
 * layer but the head, or the layers and blocks the user ticks.
 */
export function FreezeField() {
  const kept = useRecipe().freeze;
  const frozenNodes = Array.isArray(kept) ? kept : [];
  const nodes = useWeightedNodes();
  // "Chosen layers" with none ticked yet freezes nothing: the recipe says none, the list stays open.
  const [choosing, setChoosing] = useState(false);
  const freeze = choosing || Array.isArray(kept) ? 'chosen' : kept;
  const set = (value: 'none' | 'features' | string[]) =>
    setRecipeField(recipeField('freeze'), value, 'record');
  const pick = (value: FreezeChoice) => {
    setChoosing(value === 'chosen');
    if (value !== 'chosen') set(value);
  };
  const toggle = (id: string, on: boolean) => {
    const chosen = on ? [...frozenNodes, id] : frozenNodes.filter((n) => n !== id);
    set(chosen.length ? chosen : 'none');
  };
  return (
    <>
      <label>
        Freeze
        <select
          value={freeze}
          onChange={(e) => pick(e.target.value as FreezeChoice)}
          data-testid="train-freeze"
        >
          {FREEZES.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      {freeze === 'chosen' && (
        <div
          className="frozen-nodes"
          role="group"
          aria-label="Layers to keep fixed"
          data-testid="frozen-nodes"
        >
          <p className="hint">Keep these fixed (a block keeps all its layers):</p>
          {nodes.map((n) => (
            <label key={n.id} className="check">
              <input
                type="checkbox"
                checked={frozenNodes.includes(n.id)}
                onChange={(e) => toggle(n.id, e.target.checked)}
                data-testid={`freeze-${n.id}`}
              />
              {n.title} <span className="hint">{n.trainable.toLocaleString('en-US')} weights</span>
            </label>
          ))}
        </div>
      )}
    </>
  );
}
