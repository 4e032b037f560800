import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { templates } from '../templates/catalogue.ts';
import {
  CURRENT_FORMAT_VERSION,
  graphFile,
  parseGraphFile,
  serializeGraphFile,
  variantsFile,
  variantsOf,
  type GraphFile,
  type Migration,
} from './file-format.ts';

const fixtureDir = new URL('./fixtures/', import.meta.url);
const fixtures = readdirSync(fixtureDir).filter((f) => f.endsWith('.json'));

describe('the recipe a document keeps', () => {
  it('travels in meta and reads back', () => {
    const file = graphFile({ nodes: [], edges: [], blocks: [] }, 'Net', { lr: 0.9, batchSize: 256 });
    const parsed = parseGraphFile(serializeGraphFile(file));
    expect(parsed.ok && parsed.value.meta.recipe).toEqual({ lr: 0.9, batchSize: 256 });
    const plain = parseGraphFile(serializeGraphFile(graphFile({ nodes: [], edges: [], blocks: [] }, 'Net')));
    expect(plain.ok && plain.value.meta.recipe).toBeUndefined();
  });
});

describe('variants in one document', () => {
  const base = templates[0]!.build();
  const wider = { ...base, nodes: base.nodes.map((n, i) => (i === 1 ? { ...n, label: 'wide' } : n)) };
  const variants = [
    { name: 'narrow', graph: base },
    { name: 'wide', graph: wider },
    { name: 'deep', graph: base },
  ];

  it('keeps every variant, in tab order, and which one was shown', () => {
    const text = serializeGraphFile(variantsFile(variants, 1, 'Net'));
    const parsed = parseGraphFile(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.graph).toEqual(wider);
    expect(variantsOf(parsed.value)).toEqual({ variants, shown: 1 });
  });

  it('writes a document of one variant as a plain one, read back as one variant named after it', () => {
    const file = variantsFile([variants[0]!], 0, 'Net');
    expect(file.variants).toBeUndefined();
    expect(variantsOf(file)).toEqual({ variants: [{ name: 'Net', graph: base }], shown: 0 });
  });

  it('keeps each variant’s id, a lone variant’s too, so runs stay with their variant', () => {
    const withIds = variants.map((v, i) => ({ ...v, id: `v${i + 1}` }));
    const parsed = parseGraphFile(serializeGraphFile(variantsFile(withIds, 2, 'Net')));
    expect(parsed.ok && variantsOf(parsed.value)).toEqual({ variants: withIds, shown: 2 });
    const lone = parseGraphFile(serializeGraphFile(variantsFile([withIds[2]!], 0, 'Net')));
    expect(parsed.ok && lone.ok && variantsOf(lone.value).variants).toEqual([withIds[2]]);
    const sameId = variantsFile([withIds[0]!, { ...withIds[1]!, id: 'v1' }], 0, 'Net');
    expect(parseGraphFile(JSON.stringify(sameId))).toMatchObject({
      ok: false,
      error: { path: 'variants', message: expect.stringContaining('the id "v1"') },
    });
  });

  it('refuses two variants of one name, and a broken variant with its path', () => {
    const twice = variantsFile([variants[0]!, { ...variants[1]!, name: 'narrow' }], 0, 'Net');
    expect(parseGraphFile(JSON.stringify(twice))).toMatchObject({ ok: false, error: { path: 'variants' } });
    // Through JSON: structuredClone would keep the graph the variants share as one object.
    const broken = JSON.parse(JSON.stringify(variantsFile(variants, 0, 'Net'))) as GraphFile;
    broken.variants![1]!.graph.edges[0]!.source = 'ghost';
    expect(parseGraphFile(JSON.stringify(broken))).toMatchObject({
      ok: false,
      error: { path: 'variants[1].graph.edges[0].source' },
    });
  });

  it('reads a version-1 file as one variant, upgraded', () => {
    const v1 = { ...graphFile(base, 'Old'), formatVersion: 1 };
    const parsed = parseGraphFile(JSON.stringify(v1));
    expect(parsed.ok && parsed.value.formatVersion).toBe(CURRENT_FORMAT_VERSION);
    expect(parsed.ok && variantsOf(parsed.value).variants).toEqual([{ name: 'Old', graph: base }]);
  });
});

describe('graph files', () => {
  it.each(fixtures)('reads the fixture %s of a past version and it still checks clean', (name) => {
    const parsed = parseGraphFile(readFileSync(new URL(name, fixtureDir), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.formatVersion).toBe(CURRENT_FORMAT_VERSION);
    expect(inferShapes(parsed.value.graph).diagnostics).toEqual([]);
  });

  it('keeps a fixture of every format version', () => {
    for (let v = 1; v <= CURRENT_FORMAT_VERSION; v++)
      expect(fixtures.some((f) => f.startsWith(`v${v}-`))).toBe(true);
  });

  it('round-trips every template', () => {
    for (const t of templates) {
      const file = graphFile(t.build(), t.title);
      const again = parseGraphFile(serializeGraphFile(file));
      expect(again).toEqual({ ok: true, value: file });
    }
  });

  it.each([
    ['not JSON', '{"format": ', 'notAGraphFile'],
    ['JSON, not a graph', '[1, 2]', 'notAGraphFile'],
    ['another format', '{"format": "excalidraw"}', 'notAGraphFile'],
    ['a newer version', '{"format": "blockwise/graph", "formatVersion": 99}', 'versionTooNew'],
    ['a bad version', '{"format": "blockwise/graph", "formatVersion": "1"}', 'invalid'],
  ])('names the problem with %s', (_name, text, kind) => {
    const parsed = parseGraphFile(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.kind).toBe(kind);
  });

  it('points at the JSON path of an invalid value', () => {
    const file = graphFile(templates[0]!.build(), 'x');
    const broken = structuredClone(file) as unknown as { graph: { nodes: { position: unknown }[] } };
    broken.graph.nodes[2]!.position = { x: 'left', y: 0 };
    const parsed = parseGraphFile(JSON.stringify(broken));
    expect(parsed).toMatchObject({
      ok: false,
      error: { kind: 'invalid', path: 'graph.nodes[2].position.x' },
    });
  });

  it('reads a file saved with a UTF-8 byte-order mark', () => {
    const file = graphFile(templates[0]!.build(), 'x');
    expect(parseGraphFile(`\uFEFF${serializeGraphFile(file)}`)).toEqual({ ok: true, value: file });
  });

  it.each([
    ['a stray comma', '{"format": "blockwise/graph",\n  "formatVersion": 2,,\n}', 'line 2, column 22'],
    ['a file that ends early', '{"format": \n  "blockwise', 'line 2, column 13'],
  ])('says on which line and column the JSON breaks: %s', (_name, text, where) => {
    const parsed = parseGraphFile(text);
    expect(parsed).toMatchObject({ ok: false, error: { kind: 'notAGraphFile' } });
    if (!parsed.ok) expect(parsed.error.message).toContain(where);
  });

  it('refuses a node id with "/" (it separates nodes inside blocks), naming its path', () => {
    const file = graphFile(templates[0]!.build(), 'x');
    const slashed = structuredClone(file);
    const node = slashed.graph.nodes[1]!;
    for (const e of slashed.graph.edges) {
      if (e.source === node.id) e.source = 'a/b';
      if (e.target === node.id) e.target = 'a/b';
    }
    node.id = 'a/b';
    const parsed = parseGraphFile(JSON.stringify(slashed));
    expect(parsed).toMatchObject({ ok: false, error: { kind: 'invalid', path: 'graph.nodes[1].id' } });
    if (!parsed.ok) expect(parsed.error.message).toContain('must not contain "/"');
  });

  it('refuses duplicate ids and edges to missing nodes, with their paths', () => {
    const file = graphFile(templates[0]!.build(), 'x');
    const dup = structuredClone(file);
    dup.graph.nodes[1]!.id = dup.graph.nodes[0]!.id;
    expect(parseGraphFile(JSON.stringify(dup))).toMatchObject({
      ok: false,
      error: { path: 'graph.nodes[1].id' },
    });
    const dangling = structuredClone(file);
    dangling.graph.edges[0]!.target = 'ghost';
    expect(parseGraphFile(JSON.stringify(dangling))).toMatchObject({
      ok: false,
      error: { path: 'graph.edges[0].target' },
    });
  });

  describe('migrations only go up, one version at a time', () => {
    // A future format that marks meta.name: exercised here so the chain works before the next real migration.
    const next = CURRENT_FORMAT_VERSION + 1;
    const upgrade: Record<number, Migration> = {
      [CURRENT_FORMAT_VERSION]: (doc) => ({
        ...doc,
        meta: { ...(doc['meta'] as object), name: `${(doc['meta'] as { name: string }).name} (upgraded)` },
      }),
    };

    it('applies each step from the file version to the current one', () => {
      const text = serializeGraphFile(graphFile(templates[0]!.build(), 'old'));
      const parsed = parseGraphFile(text, { migrations: upgrade, current: next });
      expect(parsed).toMatchObject({
        ok: true,
        value: { formatVersion: next, meta: { name: 'old (upgraded)' } },
      });
    });

    it('reports a failing or missing step as migrationFailed', () => {
      const text = serializeGraphFile(graphFile(templates[0]!.build(), 'old'));
      const throwing = {
        [CURRENT_FORMAT_VERSION]: () => {
          throw new Error('bad block');
        },
      };
      expect(parseGraphFile(text, { migrations: throwing, current: next })).toMatchObject({
        ok: false,
        error: { kind: 'migrationFailed', from: CURRENT_FORMAT_VERSION },
      });
      expect(parseGraphFile(text, { migrations: {}, current: next })).toMatchObject({
        ok: false,
        error: { kind: 'migrationFailed', from: CURRENT_FORMAT_VERSION },
      });
    });
  });

  describe('never throws on user input', () => {
    it('random JSON values', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const parsed = parseGraphFile(JSON.stringify(value));
          expect(parsed.ok).toBe(false);
        }),
        { numRuns: 500 },
      );
    });

    it('random text', () => {
      fc.assert(
        fc.property(fc.string(), (text) => void parseGraphFile(text)),
        { numRuns: 500 },
      );
    });

    it('valid files with one value replaced anywhere', () => {
      const file = graphFile(templates.find((t) => t.id === 'resnet-mini')!.build(), 'mutated');
      const paths = allPaths(file);
      fc.assert(
        fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
          const mutated = structuredClone(file) as unknown;
          setAt(mutated, path, value);
          const parsed = parseGraphFile(JSON.stringify(mutated));
          // Whatever parses must still be safe to analyse.
          if (parsed.ok) inferShapes(parsed.value.graph);
        }),
        { numRuns: 1000 },
      );
    });
  });
});

function allPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => allPaths(v, [...prefix, k]))];
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  if (path.length === 0) return;
  let at = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
}
