import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRAIN_PY } from './train-py.ts';
import { trainFiles } from './train-script.ts';
import { trainConfigSchema } from '../../train/train-config.ts';

describe('train.py: one static Python file', () => {
  it('ships train.py as it is in the repository (run `npm run embed:python` after editing it)', () => {
    expect(TRAIN_PY).toBe(readFileSync(new URL('./train.py', import.meta.url), 'utf8'));
  });

  it('is the same for every network: the recipe and the network go in the JSON files beside it', () => {
    const recipe = trainConfigSchema.parse({ epochs: 3, lr: 0.05 });
    const files = (name: string, classes: number) =>
      trainFiles({ name, graphHash: 'abc', recipe, input: [1, 28, 28], output: [classes] });
    const [a, b] = [files('LeNet', 10), files('VGG', 100)];
    expect(a['train.py']).toBe(b['train.py']);
    expect(a['train.py']).not.toMatch(/LeNet/);
    expect(JSON.parse(a['recipe.json'])).toEqual(recipe);
    expect(JSON.parse(b['network.json'])).toEqual({
      name: 'VGG',
      graphHash: 'abc',
      input: [1, 28, 28],
      classes: 100,
    });
  });
});
