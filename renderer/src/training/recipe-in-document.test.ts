import { beforeEach, describe, expect, it, vi } from 'vitest';
import { graphFile } from '../../../shared/graph/file-format.ts';
import { findTemplate } from '../../../shared/templates/catalogue.ts';
import { documentRecipe } from '../../../shared/templates/template.ts';
import { openParsed } from '../document/document-actions.ts';
import { hasUnsavedChanges, useDocument } from '../document/document-store.ts';
import { recipeField } from '../../../shared/train/recipe-fields.ts';
import { currentRecipe } from '../document/recipe.ts';
import { followDocument, setMachine } from './training-actions.ts';
import { setRecipeField } from '../document/recipe.ts';
import { freshRun, useTraining } from './training-store.ts';

// The page's globals the stores read as they load (Node 20 has no navigator).
vi.hoisted(() => Object.assign(globalThis, { navigator: { hardwareConcurrency: 2 } }));

const lenetTemplate = findTemplate('lenet')!;
const lenet = lenetTemplate.build();
const doc = () => useDocument.getState();

describe('the recipe belongs to the document', () => {
  beforeEach(() => doc().open(lenet, 'LeNet', documentRecipe(undefined, lenetTemplate)));

  it('takes the template’s recipe, and a field edit marks the document unsaved', () => {
    expect(currentRecipe().optimizer.kind).toBe('sgd');
    expect(hasUnsavedChanges(doc())).toBe(false);
    expect(setRecipeField(recipeField('lr'), 0.05)).toBeNull();
    expect(doc().doc.recipe.lr).toBe(0.05);
    expect(currentRecipe().lr).toBe(0.05);
    expect(hasUnsavedChanges(doc())).toBe(true);
  });

  it('undoes a recipe edit with the canvas’s Undo, and redoes it', () => {
    const before = currentRecipe().lr;
    setRecipeField(recipeField('epochs'), 3);
    setRecipeField(recipeField('epochs'), 30);
    doc().undo();
    expect(currentRecipe().epochs).toBe(10);
    expect(currentRecipe().lr).toBe(before);
    expect(hasUnsavedChanges(doc())).toBe(false);
    doc().redo();
    expect(currentRecipe().epochs).toBe(30);
  });

  it('keeps where this machine trains out of the document', () => {
    setMachine({ backend: 'wasm', threads: 1 });
    expect(useTraining.getState().machine.backend).toBe('wasm');
    expect(hasUnsavedChanges(doc())).toBe(false);
    expect(doc().doc.past).toHaveLength(0);
    // Another document keeps it: it is this machine's choice.
    doc().open(lenet, 'Another', documentRecipe(undefined));
    expect(useTraining.getState().machine.backend).toBe('wasm');
  });

  it('takes no recipe the schema refuses, and says why in words for the field', () => {
    const recipe = doc().doc.recipe;
    expect(setRecipeField(recipeField('lr'), 1000)).toBe('at most 100');
    expect(setRecipeField(recipeField('epochs'), 2.5)).toBe('a whole number');
    expect(doc().doc.recipe).toBe(recipe);
  });

  it('switches the optimizer with its own settings: Adam takes nothing of SGD’s', () => {
    setRecipeField(recipeField('weight-decay'), 5e-4);
    setRecipeField(recipeField('optimizer'), 'adam', 'record');
    expect(currentRecipe().optimizer).toMatchObject({ kind: 'adam', weightDecay: 0, beta1: 0.9 });
    doc().undo();
    expect(currentRecipe().optimizer).toMatchObject({ kind: 'sgd', weightDecay: 5e-4 });
  });

  it('opens recovered work as unsaved, so New and Open ask before replacing it', () => {
    openParsed(graphFile(lenet, 'LeNet'), 'LeNet (recovered)', null, {});
    expect(hasUnsavedChanges(doc())).toBe(true);
  });

  it('gives each new document a draft of its own, and recovered work the draft it had (its runs)', () => {
    doc().open(lenet, 'LeNet', documentRecipe(undefined));
    const first = doc().doc.draft;
    doc().open(lenet, 'LeNet', documentRecipe(undefined));
    expect(doc().doc.draft).toMatch(/^d-[0-9a-f]{12}$/);
    expect(doc().doc.draft).not.toBe(first);
    openParsed(graphFile(lenet, 'LeNet'), 'LeNet (recovered)', null, { draft: first });
    expect(doc().doc.draft).toBe(first);
  });

  it('lets go of the last document’s run when another opens', () => {
    const stop = followDocument();
    const run = freshRun(lenet, 1, { path: null, draft: 'd-lenet' });
    useTraining.setState({ run: { ...run, status: 'done' } });
    doc().open(findTemplate('vgg-mini')!.build(), 'VGG-mini', documentRecipe(undefined));
    expect(useTraining.getState().run).toBeNull();
    stop();
  });
});
