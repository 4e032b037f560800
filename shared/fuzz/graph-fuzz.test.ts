import { describe, expect, it } from 'vitest';
import '../test/graph-kit.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { checkGraphFile, mutatedGraphFile, runGraphFuzz } from './graph-fuzz.ts';

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

  it('would catch a stage that breaks its promise', () => {
    // A graph inference passes but compile cannot build must fail the check, not pass it quietly.
    expect(checkGraphFile('not json')).toBe('refused');
    const file = JSON.parse(mutatedGraphFile(build('lenet'), 1));
    file.graph = build('lenet');
    expect(checkGraphFile(JSON.stringify(file))).toBe('compiled');
  });
});
