/** Python literals and names for the PyTorch code that layer kinds and the exporter write. */

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self input'.split(
    ' ',
  ),
);

/** Names an nn.Module already has: a layer named so would hide them. */
const MODULE_NAMES = new Set(
  'forward training train eval to cuda cpu float double half type apply children modules parameters buffers state_dict load_state_dict zero_grad register_buffer register_parameter add_module named_modules named_parameters named_buffers named_children requires_grad_ extra_repr'.split(
    ' ',
  ),
);

/** A number as Python reads it (integers stay integers; 1e-5 stays exact). */
export const pyNumber = (n: number): string =>
  Number.isFinite(n) ? String(n) : n > 0 ? "float('inf')" : "float('-inf')";

export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** (a, b): a pair as PyTorch's size arguments take it. */
export const pyPair = ([a, b]: readonly [number, number]): string => `(${a}, ${b})`;

/** keyword=value pairs, leaving out those equal to PyTorch's default (undefined means: always written). */
export function pyArgs(args: [name: string, value: string, fallback?: string][]): string {
  return args
    .filter(([, value, fallback]) => value !== fallback)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

/** A Python identifier from a node id: letters, digits and _, never a keyword, never starting with a digit. */
export function pyIdentifier(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_]/g, '_');
  const start = /^[A-Za-z_]/.test(safe) ? safe : `n_${safe}`;
  return KEYWORDS.has(start) || MODULE_NAMES.has(start) ? `${start}_` : start;
}

/** "residual1" → "Residual": a class name from a block instance's id. */
export function pyClassName(id: string): string {
  const words = id
    .replace(/\d+$/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || 'Block';
  return /^[A-Za-z]/.test(name) ? name : `Block${name}`;
}
