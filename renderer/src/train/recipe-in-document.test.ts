import { beforeEach, describe, expect, it, vi } from 'vitest';
import { graphFile } from '../../../shared/graph/file-format.ts';
import { findTemplate } from '../../../shared/templates/catalogue.ts';
import { documentRecipe } from '../../../shared/templates/template.ts';
import { openParsed } from '../panels/document-actions.ts';
import { hasUnsavedChanges, useDocument } from '../store/document-store.ts';
import { currentSettings, followDocument, setSettings } from './training-actions.ts';
import { freshRun, useTraining } from './training-store.ts';

// The page's globals the stores read as they load (Node 20 has no navigator).
vi.hoisted(() => Object.assign(globalThis, { navigator: { hardwareConcurrency: 2 } }));

const lenetTemplate = findTemplate('lenet')!;
const lenet = lenetTemplate.build();
const doc = () => useDocument.getState();

describe('the recipe belongs to the document', () => {
  beforeEach(() => doc().open(lenet, 'LeNet', documentRecipe(undefined, lenetTemplate)));

  it('takes the template’s recipe, and a field edit marks the document unsaved', () => {
    expect(currentSettings().optimizer).toBe('sgd');
    expect(hasUnsavedChanges(doc())).toBe(false);
    setSettings({ lr: 0.05 }, 'Learning rate');
    expect(doc().doc.recipe.lr).toBe(0.05);
    expect(currentSettings().lr).toBe(0.05);
    expect(hasUnsavedChanges(doc())).toBe(true);
  });

  it('undoes a recipe edit with the canvas’s Undo, and redoes it', () => {
    const before = currentSettings().lr;
    setSettings({ epochs: 3 }, 'Epochs');
    setSettings({ epochs: 30 }, 'Epochs');
    doc().undo();
    expect(currentSettings().epochs).toBe(10);
    expect(currentSettings().lr).toBe(before);
    expect(hasUnsavedChanges(doc())).toBe(false);
    doc().redo();
    expect(currentSettings().epochs).toBe(30);
  });

  it('keeps where this machine trains out of the document', () => {
    setSettings({ backend: 'wasm', threads: 1 }, 'Backend');
    expect(currentSettings().backend).toBe('wasm');
    expect(hasUnsavedChanges(doc())).toBe(false);
    expect(doc().doc.past).toHaveLength(0);
    // Another document keeps it: it is this machine's choice.
    doc().open(lenet, 'Another', documentRecipe(undefined));
    expect(currentSettings().backend).toBe('wasm');
  });

  it('takes no recipe the schema refuses', () => {
    const recipe = doc().doc.recipe;
    setSettings({ lr: 1000 }, 'Learning rate');
    expect(doc().doc.recipe).toBe(recipe);
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
