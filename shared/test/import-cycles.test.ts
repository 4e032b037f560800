import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Every TypeScript source under a folder (tests too: a test is a file that imports). */
function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => resolve(e.parentPath, e.name))
    .filter((f) => !f.includes(`${join('node_modules')}`) && !f.includes(`${join('', 'dist', '')}`));
}

/** What each file imports of the others, type-only imports included: a cycle of types is still a tangle. */
function importGraph(files: readonly string[], read: (f: string) => string): Map<string, string[]> {
  const known = new Set(files);
  const from = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g;
  return new Map(
    files.map((f) => [
      f,
      [...read(f).matchAll(from)].map((m) => resolve(dirname(f), m[1]!)).filter((d) => known.has(d)),
    ]),
  );
}

/** The import cycles, each as the files in it (Tarjan's strongly connected components of more than one). */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    order.set(file, order.size);
    low.set(file, order.get(file)!);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!order.has(next)) visit(next);
      if (stack.includes(next)) low.set(file, Math.min(low.get(file)!, low.get(next)!));
    }
    if (low.get(file) !== order.get(file)) return;
    const component = stack.splice(stack.indexOf(file));
    if (component.length > 1) cycles.push(component);
  };
  for (const file of graph.keys()) if (!order.has(file)) visit(file);
  return cycles;
}

describe('imports have a direction', () => {
  it('finds a cycle through several files, and none where imports go one way', () => {
    const text: Record<string, string> = {
      '/x/a.ts': "import { b } from './b.ts';",
      '/x/b.ts': "import type { C } from './sub/c.ts';",
      '/x/sub/c.ts': "export { a } from '../a.ts';",
      '/x/d.ts': "import { a } from './a.ts';",
    };
    const graph = importGraph(Object.keys(text), (f) => text[f]!);
    expect(importCycles(graph).map((c) => c.sort())).toEqual([['/x/a.ts', '/x/b.ts', '/x/sub/c.ts']]);
    text['/x/sub/c.ts'] = 'export const c = 1;';
    expect(importCycles(importGraph(Object.keys(text), (f) => text[f]!))).toEqual([]);
  });

  it('has no import cycle between files of shared/, main/ or renderer/', () => {
    const files = ['shared', 'main', 'renderer/src'].flatMap((f) => sources(join(repo, f)));
    expect(files.length).toBeGreaterThan(100);
    const cycles = importCycles(importGraph(files, (f) => readFileSync(f, 'utf8')));
    expect(cycles.map((c) => c.map((f) => relative(repo, f)))).toEqual([]);
  });
});
