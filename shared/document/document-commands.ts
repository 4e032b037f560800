import type { History } from '../graph/history.ts';
import type { TrainConfigInput } from '../train/train-config.ts';

/** One variant of a document: a name the user gives it, an id that never changes, and its graph's history. */
export interface DocumentVariant {
  readonly id: string;
  readonly name: string;
  readonly history: History;
}

/** What a document's commands change: its variants, the one shown, and the recipe it trains with. */
export interface DocumentParts {
  readonly variants: readonly DocumentVariant[];
  readonly shown: number;
  readonly recipe: TrainConfigInput;
}

/**
 * An edit of the document itself, not of one graph; each returns its inverse, as a graph command does.
 * `show`: the id of the variant shown after it; null keeps the shown one (or its neighbour, if it went).
 */
export type DocumentCommand =
  | {
      kind: 'insertVariants';
      index: number;
      variants: readonly DocumentVariant[];
      show: string | null;
    }
  | { kind: 'removeVariants'; index: number; count: number; show: string | null }
  | { kind: 'renameVariant'; id: string; name: string }
  | { kind: 'setRecipe'; recipe: TrainConfigInput };

const shownId = (parts: DocumentParts) => parts.variants[parts.shown]!.id;

/** Where `show` (or, when null, the variant shown before) now sits; its neighbour when it went. */
function shownAfter(
  before: DocumentParts,
  variants: readonly DocumentVariant[],
  show: string | null,
): number {
  const at = variants.findIndex((v) => v.id === (show ?? shownId(before)));
  return at >= 0 ? at : Math.min(before.shown, variants.length - 1);
}

export function applyDocumentCommand(
  parts: DocumentParts,
  command: DocumentCommand,
): { parts: DocumentParts; inverse: DocumentCommand } {
  switch (command.kind) {
    case 'insertVariants': {
      const index = Math.min(Math.max(0, command.index), parts.variants.length);
      const variants = [
        ...parts.variants.slice(0, index),
        ...command.variants,
        ...parts.variants.slice(index),
      ];
      return {
        parts: { ...parts, variants, shown: shownAfter(parts, variants, command.show) },
        inverse: { kind: 'removeVariants', index, count: command.variants.length, show: shownId(parts) },
      };
    }
    case 'removeVariants': {
      // A document always keeps one variant.
      const { length } = parts.variants;
      const count = Math.min(command.count, length - command.index, length - 1);
      if (count <= 0) return { parts, inverse: { ...command, count: 0 } };
      const removed = parts.variants.slice(command.index, command.index + count);
      const variants = parts.variants.filter((_, i) => i < command.index || i >= command.index + count);
      return {
        parts: { ...parts, variants, shown: shownAfter(parts, variants, command.show) },
        inverse: { kind: 'insertVariants', index: command.index, variants: removed, show: shownId(parts) },
      };
    }
    case 'renameVariant': {
      const old = parts.variants.find((v) => v.id === command.id);
      if (!old) return { parts, inverse: command };
      const variants = parts.variants.map((v) => (v === old ? { ...v, name: command.name } : v));
      return { parts: { ...parts, variants }, inverse: { ...command, name: old.name } };
    }
    case 'setRecipe':
      return {
        parts: { ...parts, recipe: command.recipe },
        inverse: { kind: 'setRecipe', recipe: parts.recipe },
      };
  }
}
