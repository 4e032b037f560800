import { describe, expect, it } from 'vitest';
import {
  choicesFor,
  fieldApplies,
  fieldRange,
  fieldSpec,
  flagValue,
  readField,
  recipeProblem,
  RECIPE_FIELDS,
  RECIPE_FLAGS,
  writeField,
  type RecipeField,
} from './recipe-fields.ts';
import { trainConfigSchema } from './train-config.ts';

const field = (name: string): RecipeField => RECIPE_FIELDS.find((f) => f.name === name)!;
const defaults = trainConfigSchema.parse({});

describe('the recipe table', () => {
  it('names every field once, each at a path the schema has', () => {
    expect(new Set(RECIPE_FIELDS.map((f) => f.name)).size).toBe(RECIPE_FIELDS.length);
    for (const f of RECIPE_FIELDS) expect(fieldSpec(f), f.path).toBeDefined();
    expect(RECIPE_FLAGS).toContain('weight-decay');
    // Set through --augment, not flags of their own.
    expect(RECIPE_FLAGS).not.toContain('flip');
  });

  it('reads bounds, kinds, choices and emptiness from the schema', () => {
    expect(fieldSpec(field('epochs'))).toMatchObject({
      kind: 'integer',
      min: { value: 1, inclusive: true },
      max: { value: 10_000, inclusive: true },
    });
    expect(fieldSpec(field('lr'))).toMatchObject({ kind: 'number', min: { value: 0, inclusive: false } });
    expect(fieldSpec(field('patience'))).toMatchObject({ nullable: true, max: undefined });
    expect(choicesFor(field('optimizer'))).toEqual(['sgd', 'adam', 'adamw', 'rmsprop']);
    expect(choicesFor(field('init'))).toEqual(['pytorch', 'xavier']);
    expect(fieldRange(field('epochs'))).toBe('1 to 10000, default 10');
    expect(fieldRange(field('lr'))).toBe('> 0 to 100, default 0.1');
  });

  it('knows which fields the recipe’s optimizer has', () => {
    const adam = { optimizer: { kind: 'adam' } };
    expect(fieldApplies(field('momentum'), adam)).toBe(false);
    expect(fieldApplies(field('weight-decay'), adam)).toBe(true);
    expect(fieldApplies(field('momentum'), { optimizer: { kind: 'rmsprop' } })).toBe(true);
    expect(fieldApplies(field('nesterov'), { optimizer: { kind: 'rmsprop' } })).toBe(false);
  });

  it('reads defaults where the part a field sits in is empty', () => {
    expect(readField(defaults, field('flip'))).toBe(false);
    expect(readField(defaults, field('crop'))).toBe(0);
    expect(readField(defaults, field('batch'))).toBe(128);
  });

  it('writes one field and keeps the rest; another optimizer starts from its defaults', () => {
    const sgd = { lr: 0.05, optimizer: { kind: 'sgd' as const, momentum: 0.9, weightDecay: 5e-4 } };
    expect(writeField(sgd, field('momentum'), 0.5)).toEqual({
      lr: 0.05,
      optimizer: { kind: 'sgd', momentum: 0.5, weightDecay: 5e-4 },
    });
    expect(writeField(sgd, field('optimizer'), 'adam')).toEqual({ lr: 0.05, optimizer: { kind: 'adam' } });
    expect(writeField(sgd, field('optimizer'), 'sgd').optimizer).toEqual(sgd.optimizer);
    expect(writeField({ augment: null }, field('flip'), true)).toEqual({ augment: { flip: true } });
  });

  it('says a refused value in words at its field', () => {
    expect(recipeProblem({ lr: 1000 })).toEqual({ field: field('lr'), words: 'at most 100' });
    expect(recipeProblem({ lr: 0 })).toEqual({ field: field('lr'), words: 'more than 0' });
    expect(recipeProblem({ epochs: 2.5 })?.words).toBe('a whole number');
    expect(recipeProblem({ optimizer: { kind: 'lion' } })).toEqual({
      field: field('optimizer'),
      words: 'one of sgd, adam, adamw, rmsprop',
    });
    expect(recipeProblem({ schedule: { kind: 'linear' } })?.words).toBe(
      'one of constant, step, exponential, cosine, one-cycle',
    );
    expect(recipeProblem(defaults)).toBeNull();
  });

  it('reads a flag’s text as the field’s kind, in the CLI’s spelling', () => {
    expect(flagValue(field('epochs'), '3')).toBe(3);
    expect(flagValue(field('schedule'), 'one-cycle')).toBe('oneCycle');
    expect(flagValue(field('restore-best'), true)).toBe(true);
    expect(flagValue(field('normalize'), '0.5,0.25')).toEqual([0.5, 0.25]);
    expect(flagValue(field('augment'), 'flip,crop=2')).toEqual({ flip: true, cropPadding: 2 });
    expect(() => flagValue(field('lr'), 'fast')).toThrow('"fast" is not a number');
    expect(() => flagValue(field('augment'), 'rotate')).toThrow('unknown "rotate"');
  });
});
