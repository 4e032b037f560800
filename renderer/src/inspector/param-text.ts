/** A parameter value as the inspector shows it: numbers, pairs as "3, 5", words as they are. */
export function formatParam(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  return value === null || value === undefined ? '' : String(value);
}

/** What the user typed, as a parameter value: a number, a list of numbers, true/false, empty (null) or a word. */
export function parseParam(text: string): unknown {
  const t = text.trim();
  if (t === '') return null;
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?[\d.e+-]+$/i.test(t) && !Number.isNaN(Number(t))) return Number(t);
  if (t.includes(','))
    return t.split(',').map((p) => (Number.isNaN(Number(p.trim())) ? p.trim() : Number(p.trim())));
  return t;
}
