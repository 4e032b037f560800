import type { SweepAxis } from '../../../shared/compare/sweep.ts';
import { laidOutSweep } from '../../../shared/compare/sweep-layout.ts';
import { MAX_VARIANTS } from '../../../shared/graph/file-format.ts';
import { ask } from '../ui/confirm-store.ts';
import { freeVariantName, useDocument } from '../document/document-store.ts';

const current = () => useDocument.getState();

/** Why a document cannot take `count` more variants, or null. */
function roomFor(count: number): string | null {
  const have = current().variants.length;
  return have + count > MAX_VARIANTS
    ? `A document keeps at most ${MAX_VARIANTS} variants; it has ${have}. Remove some first.`
    : null;
}

/** A copy of the shown variant, next to it, shown: edit it to try another configuration. */
export function duplicateVariant(): void {
  const s = current();
  const full = roomFor(1);
  if (full) return s.notify({ kind: 'error', text: full });
  const name = freeVariantName(s, s.variants[s.variant]!.name);
  s.addVariants([{ name, graph: s.history.graph }], true);
}

/** Why a variant cannot take this name (empty, or another variant's), or null. */
export function variantNameProblem(index: number, name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'A variant needs a name.';
  if (trimmed.length > 200) return 'A name has at most 200 characters.';
  if (current().variants.some((v, i) => i !== index && v.name === trimmed))
    return `Another variant is named “${trimmed}”.`;
  return null;
}

export function renameVariant(index: number, name: string): string | null {
  const problem = variantNameProblem(index, name);
  if (!problem) current().renameVariant(index, name.trim());
  return problem;
}

/** Removes a variant once the user says so (its design goes; its runs stay with the document). */
export async function removeVariant(index: number): Promise<void> {
  const variant = current().variants[index];
  if (!variant || current().variants.length < 2) return;
  const answer = await ask({
    title: 'Remove the variant?',
    text: `“${variant.name}” and its undo history go; its runs are kept. Save to make it final.`,
    choices: [{ id: 'remove', label: 'Remove' }],
  });
  if (answer === 'remove') current().removeVariant(index);
}

/** The variants a sweep of the shown variant makes, added after the others; why not, as a sentence. */
export async function addSweep(axes: readonly SweepAxis[]): Promise<string | null> {
  const s = current();
  const swept = laidOutSweep(s.history.graph, axes);
  if (!swept.ok) return swept.error;
  const full = roomFor(swept.value.length);
  if (full) return full;
  const base = s.variants[s.variant]!.name;
  s.addVariants(
    swept.value.map((v) => ({ ...v, name: freeVariantName(current(), `${base}: ${v.name}`) })),
    false,
  );
  s.notify({
    kind: 'info',
    text: `Added ${swept.value.length} variants of “${base}”: compare them, or train each.`,
  });
  return null;
}
