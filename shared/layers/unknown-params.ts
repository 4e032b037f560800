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

/**
 * PyTorch's and Keras's names for our parameters, written without case or underscores (`use_bias` is
 * `usebias`): a user who knows those frameworks writes them, and no edit distance finds `kernel` from
 * `pool_size`. Spellings that differ from ours only by case or underscores (`ceil_mode`) need no line.
 */
const OTHER_FRAMEWORKS: Readonly<Record<string, readonly string[]>> = {
  usebias: ['bias'],
  kernelsize: ['kernel'],
  poolsize: ['kernel'],
  strides: ['stride'],
  outchannels: ['filters'],
  numfilters: ['filters'],
  outfeatures: ['units'],
  dilationrate: ['dilation'],
  p: ['rate'],
  droprate: ['rate'],
  epsilon: ['eps'],
  outputsize: ['size'],
  alpha: ['negativeSlope'],
  negativeslope: ['negativeSlope'],
};

const plain = (name: string): string => name.toLowerCase().replace(/[_-]/g, '');

/** The parameter names a schema declares, when it is an object schema (every layer's and block's is). */
export function declaredParams(schema: unknown): string[] | null {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : null;
}

/** The declared parameter a key most likely means, or null when none is close. */
function meant(key: string, declared: readonly string[]): string | null {
  const bare = plain(key);
  const same = declared.find((name) => plain(name) === bare);
  if (same) return same;
  const alias = OTHER_FRAMEWORKS[bare]?.find((name) => declared.includes(name));
  if (alias) return alias;
  const near = declared
    .map((name) => ({ name, d: distance(key.toLowerCase(), name.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  return near && near.d <= Math.max(2, Math.floor(key.length / 3)) ? near.name : null;
}

/**
 * Every parameter a node sets that its kind does not have, as one sentence with the one each likely means:
 * a typo is a problem at the node, never silently dropped (it would drop what the user asked for).
 */
export function unknownParamMessage(
  title: string,
  schema: unknown,
  params: Record<string, unknown>,
): string | null {
  const declared = declaredParams(schema);
  if (!declared) return null;
  const unknown = Object.keys(params).filter((k) => !declared.includes(k));
  if (unknown.length === 0) return null;
  const names = unknown.map((k) => `\`${k}\``).join(', ');
  const which = unknown.length === 1 ? `${names} is not a parameter` : `${names} are not parameters`;
  const hints = unknown.flatMap((k) => {
    const name = meant(k, declared);
    return name ? [unknown.length === 1 ? `\`${name}\`` : `\`${name}\` for \`${k}\``] : [];
  });
  const list = declared.map((d) => `\`${d}\``).join(', ') || 'none';
  const hint = hints.length ? ` Did you mean ${hints.join(', ')}?` : '';
  const all = hints.length < unknown.length ? ` Its parameters are ${list}.` : '';
  const fix = unknown.length === 1 ? 'Remove it or correct its name.' : 'Remove them or correct their names.';
  return `${which} of ${title}.${hint}${all} ${fix}`;
}
