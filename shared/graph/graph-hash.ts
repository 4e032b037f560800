import type { Graph } from './document.ts';

/**
 * A stable fingerprint of a graph's content (FNV-1a, 64-bit, as hex, over its JSON): equal graphs, equal
 * hashes. Run records name the graph they trained by it.
 */
export function graphHash(graph: Graph): string {
  const json = JSON.stringify(graph);
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < json.length; i++) {
    h ^= BigInt(json.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
