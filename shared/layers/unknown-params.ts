/** Edits needed to turn one word into another (Levenshtein), to suggest the parameter meant. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The parameter names a schema declares, when it is an object schema (every layer's and block's is). */
export function declaredParams(schema: unknown): string[] | null {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : null;
}

/**
 * The first parameter a node sets that its kind does not have, as a sentence with the likely one meant:
 * a typo is a problem at the node, never silently dropped (it would drop what the user asked for).
 */
export function unknownParamMessage(
  title: string,
  schema: unknown,
  params: Record<string, unknown>,
): string | null {
  const declared = declaredParams(schema);
  if (!declared) return null;
  const unknown = Object.keys(params).find((k) => !declared.includes(k));
  if (unknown === undefined) return null;
  const near = declared
    .map((name) => ({ name, d: distance(unknown.toLowerCase(), name.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  const hint =
    near && near.d <= Math.max(2, Math.floor(unknown.length / 3))
      ? ` Did you mean \`${near.name}\`?`
      : ` Its parameters are ${declared.map((d) => `\`${d}\``).join(', ') || 'none'}.`;
  return `\`${unknown}\` is not a parameter of ${title}.${hint} Remove it or correct its name.`;
}
