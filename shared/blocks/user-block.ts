import { z } from 'zod';
import type { BlockDefinition, BlockParam } from '../graph/document.ts';
import { layerKind } from '../layers/registry.ts';
import type { BlockKind } from './block-kind.ts';

/**
 * A block the user made from a selection. Its exposed parameters set values on the inner nodes they are
 * bound to; the inner layers' own schemas validate those values, so a bad value shows on the instance.
 */
/**
 * What an exposed parameter is when an instance does not set it: the value its first bound layer has in the
 * definition (or that layer's default), so the inspector can show it.
 */
function boundValue(def: BlockDefinition, param: BlockParam): unknown {
  const { node, param: name } = param.bindings[0]!;
  const inner = def.nodes.find((n) => n.id === node);
  if (!inner) return undefined;
  const defaults = layerKind(inner.type)?.params.safeParse({});
  return (
    inner.params[name] ?? (defaults?.success ? (defaults.data as Record<string, unknown>)[name] : undefined)
  );
}

export function userBlockKind(def: BlockDefinition): BlockKind {
  const shape = Object.fromEntries(def.params.map((p) => [p.name, z.unknown().default(boundValue(def, p))]));
  return {
    ref: def.id,
    title: def.name,
    description: def.description ?? `Your block with ${def.nodes.length} layers.`,
    params: z.object(shape).strict(),
    expand: (args) => {
      const overrides = new Map<string, Record<string, unknown>>();
      for (const p of def.params) {
        const value = args[p.name];
        if (value === undefined) continue;
        for (const { node, param } of p.bindings)
          overrides.set(node, { ...overrides.get(node), [param]: value });
      }
      const nodes = def.nodes.map((n) => {
        const o = overrides.get(n.id);
        return o ? { ...n, params: { ...n.params, ...o } } : n;
      });
      return { nodes, edges: def.edges, inputs: def.inputs, outputs: def.outputs };
    },
  };
}
