import { describe, expect, it } from 'vitest';
import '../test/graph-kit.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { parseDesignFile } from '../blocks/design-file.ts';
import { variantsOf } from '../graph/file-format.ts';
import { inferShapes } from '../shapes/infer-shapes.ts';
import { checkGraphFile, FUZZ_TEMPLATES, mutatedGraphFile, runGraphFuzz, silentNode } from './graph-fuzz.ts';

const build = (id: string) => findTemplate(id)!.build();

describe('mutated template files (seeded; `npm run fuzz` runs thousands)', () => {
  it('never make parsing, inference, compiling or writing back throw', () => {
    const { counts, failures } = runGraphFuzz(build, 1, 500);
    expect(failures).toEqual([]);
    // The mutations reach every stage: some files are diagnosed, some compile and run.
    expect(counts.diagnosed).toBeGreaterThan(20);
    expect(counts.compiled).toBeGreaterThan(10);
  });

  it('are the same file for the same seed, and differ across seeds', () => {
    expect(mutatedGraphFile(build('lenet'), 7)).toBe(mutatedGraphFile(build('lenet'), 7));
    expect(mutatedGraphFile(build('lenet'), 7)).not.toBe(mutatedGraphFile(build('lenet'), 8));
  });

  it('make each kind of file that has broken a reader: ids with "/", a BOM, a broken variant, a network too large', () => {
    const files = Array.from({ length: 300 }, (_, seed) =>
      mutatedGraphFile(build(FUZZ_TEMPLATES[seed % FUZZ_TEMPLATES.length]!), seed),
    );
    const parsed = files.map((text) => ({ text, parsed: parseDesignFile(text) }));
    const slashed = parsed.filter(({ text }) => /"id":"[^"]*\/[^"]*","type"/.test(text));
    expect(slashed.length).toBeGreaterThan(3);
    for (const { parsed: p } of slashed) expect(p).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(parsed.filter(({ text, parsed: p }) => text.startsWith('\uFEFF') && p.ok).length).toBeGreaterThan(
      3,
    );
    const readable = parsed.flatMap(({ parsed: p }) => (p.ok ? [variantsOf(p.value)] : []));
    const brokenOther = readable.filter(({ variants, shown }) =>
      variants.some((v, i) => i !== shown && inferShapes(v.graph).diagnostics.length > 0),
    );
    expect(brokenOther.length).toBeGreaterThan(3);
    const tooLarge = readable.filter(({ variants }) =>
      variants.some((v) => inferShapes(v.graph).diagnostics.some((d) => d.message.includes('network'))),
    );
    expect(tooLarge.length).toBeGreaterThan(3);
  });

  it('would catch a stage that breaks its promise', () => {
    // A graph inference passes but compile cannot build must fail the check, not pass it quietly.
    expect(checkGraphFile('not json')).toBe('refused');
    const file = JSON.parse(mutatedGraphFile(build('lenet'), 1));
    file.graph = build('lenet');
    expect(checkGraphFile(JSON.stringify(file))).toBe('compiled');
    // A node left without a shape while no problem says why, here or upstream, is named.
    const lenet = build('lenet');
    const inference = inferShapes(lenet);
    expect(silentNode(lenet, inference)).toBeUndefined();
    inference.nodes.set('dense1', { status: 'blocked' });
    expect(silentNode(lenet, inference)).toBe('dense1');
  });
});
