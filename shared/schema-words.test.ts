import { describe, expect, it } from 'vitest';
import { designerPayloads, saveRequestSchema } from './api/designer-api.ts';
import { recipeProblem } from './train/recipe-fields.ts';
import { refusalWords } from './schema-words.ts';

describe('refusals in words', () => {
  it('says a text’s and a list’s bounds with their unit (Save as, Add dataset)', () => {
    expect(refusalWords(saveRequestSchema.shape.suggestedName, 'x'.repeat(300))).toBe(
      'at most 255 characters',
    );
    expect(refusalWords(saveRequestSchema.shape.suggestedName, 'LeNet')).toBeNull();
    expect(refusalWords(designerPayloads.addDataset, ['/'.repeat(5000)])).toBe('at most 4,096 characters');
  });

  it('never names 2^53 − 1: a recipe number past it gets the field’s own bound, or plain words', () => {
    expect(recipeProblem({ batchSize: 1e20 })?.words).toMatch(/^at most \d[\d,]*$/);
    expect(recipeProblem({ batchSize: 1e20 })?.words).not.toMatch(/9,?007,?199/);
    expect(recipeProblem({ seed: 1e20 })?.words).not.toMatch(/9,?007,?199/);
  });
});
