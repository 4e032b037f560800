import { describe, expect, it } from 'vitest';
import { findTemplate } from '../templates/catalogue.ts';
import { DEFAULT_RECIPE } from '../templates/template.ts';
import {
  addVariants,
  editGraph,
  editRecipe,
  isUnsaved,
  markSaved,
  nextLabel,
  openDocument,
  redoDocument,
  removeVariant,
  renameVariant,
  sealStep,
  showVariant,
  shownVariant,
  undoDocument,
  variantsOf,
  type DesignDocument,
} from './design-document.ts';

const lenet = findTemplate('lenet')!.build();
const vgg = findTemplate('vgg-mini')!.build();

const opened = (restored = false) =>
  openDocument({
    variants: [
      { name: 'lenet', graph: lenet },
      { name: 'vgg', graph: vgg },
    ],
    shown: 0,
    name: 'Nets',
    path: '/docs/Nets.blockwise.json',
    draft: 'd-test',
    recipe: DEFAULT_RECIPE,
    restored,
  });

const relabel = (doc: DesignDocument, label: string) =>
  editGraph(doc, { kind: 'setLabel', id: shownVariant(doc).history.graph.nodes[1]!.id, label }, 'Label');

const withLr = (doc: DesignDocument, lr: number) => editRecipe(doc, { ...doc.recipe, lr }, 'Learning rate');

describe('the document model', () => {
  it('opens with nothing unsaved, and recovered work opens unsaved', () => {
    expect(isUnsaved(opened())).toBe(false);
    expect(isUnsaved(opened(true))).toBe(true);
    expect(isUnsaved(markSaved(opened(true), '/docs/Nets.blockwise.json', 'Nets'))).toBe(false);
  });

  it('counts a recipe edit as unsaved, and undoing it as saved again', () => {
    const edited = withLr(opened(), 0.05);
    expect(isUnsaved(edited)).toBe(true);
    expect(edited.recipe.lr).toBe(0.05);
    const undone = undoDocument(edited);
    expect(undone.recipe).toBe(DEFAULT_RECIPE);
    expect(isUnsaved(undone)).toBe(false);
    expect(redoDocument(undone).recipe.lr).toBe(0.05);
  });

  it('folds edits of one field in a row into one step, not one per key', () => {
    let doc = opened();
    for (const lr of [0.5, 0.05, 0.055]) doc = withLr(doc, lr);
    expect(doc.past).toHaveLength(1);
    expect(undoDocument(doc).recipe).toBe(DEFAULT_RECIPE);
    // Another edit between them ends the fold.
    const apart = withLr(relabel(withLr(opened(), 0.5), 'x'), 0.05);
    expect(apart.past).toHaveLength(2);
    expect(withLr(opened(), DEFAULT_RECIPE.lr!).past).toHaveLength(0);
    // Leaving the field ends the fold: typing into it again is a step of its own.
    expect(withLr(sealStep(withLr(opened(), 0.5)), 0.05).past).toHaveLength(2);
  });

  it('counts a design undone back to what was saved as saved', () => {
    const undone = undoDocument(relabel(opened(), 'moved'));
    expect(shownVariant(undone).history.graph).not.toBe(lenet);
    expect(isUnsaved(undone)).toBe(false);
  });

  it('undoes graph and document steps in the order they were made', () => {
    let doc = relabel(opened(), 'first');
    doc = withLr(doc, 0.2);
    doc = relabel(doc, 'second');
    doc = renameVariant(doc, 0, 'LeNet-5');
    expect(nextLabel(doc, 'past')).toBe('Rename lenet');
    doc = undoDocument(doc);
    expect(doc.variants[0]!.name).toBe('lenet');
    expect(nextLabel(doc, 'past')).toBe('Label');
    doc = undoDocument(doc);
    expect(shownVariant(doc).history.graph.nodes[1]!.label).toBe('first');
    doc = undoDocument(doc);
    expect(doc.recipe).toBe(DEFAULT_RECIPE);
    // Redo takes the latest undone first.
    expect(nextLabel(doc, 'future')).toBe('Learning rate');
    doc = redoDocument(redoDocument(redoDocument(doc)));
    expect(doc.variants[0]!.name).toBe('LeNet-5');
    expect(shownVariant(doc).history.graph.nodes[1]!.label).toBe('second');
    expect(doc.recipe.lr).toBe(0.2);
  });

  it('ends what could be redone with a new step, on the canvas too', () => {
    const undone = undoDocument(relabel(opened(), 'first'));
    expect(nextLabel(undone, 'future')).toBe('Label');
    expect(nextLabel(withLr(undone, 0.3), 'future')).toBeNull();
  });

  it('gives added variants new ids and shows the first when asked; Undo removes them', () => {
    const doc = addVariants(opened(), [{ name: 'copy', graph: lenet, id: 'v3' }], true);
    expect(doc.variants.map((v) => v.id)).toEqual(['v1', 'v2', 'v3']);
    expect(shownVariant(doc).name).toBe('copy');
    expect(isUnsaved(doc)).toBe(true);
    const undone = undoDocument(doc);
    expect(undone.variants.map((v) => v.name)).toEqual(['lenet', 'vgg']);
    expect(shownVariant(undone).name).toBe('lenet');
    expect(isUnsaved(undone)).toBe(false);
  });

  it('keeps the ids a file gives, and gives a file without them ids no variant has', () => {
    const doc = openDocument({
      variants: [
        { name: 'a', graph: lenet },
        { name: 'b', graph: vgg, id: 'v1' },
        { name: 'c', graph: vgg, id: 'k9' },
      ],
      shown: 0,
      name: 'Nets',
      path: null,
      draft: 'd-test',
      recipe: DEFAULT_RECIPE,
    });
    expect(doc.variants.map((v) => v.id)).toEqual(['v2', 'v1', 'k9']);
  });

  it('brings a removed variant back with its edits and its own undo history', () => {
    let doc = showVariant(opened(), 1);
    doc = relabel(doc, 'edited');
    doc = removeVariant(doc, 1);
    expect(variantsOf(doc).map((v) => v.name)).toEqual(['lenet']);
    expect(shownVariant(doc).name).toBe('lenet');
    expect(removeVariant(doc, 0)).toBe(doc);
    doc = undoDocument(doc);
    expect(shownVariant(doc).name).toBe('vgg');
    expect(shownVariant(doc).history.graph.nodes[1]!.label).toBe('edited');
    doc = undoDocument(doc);
    expect(shownVariant(doc).history.graph).toEqual(vgg);
  });

  it('keeps the shown variant shown when one before it is removed', () => {
    const doc = removeVariant(showVariant(opened(), 1), 0);
    expect(shownVariant(doc).name).toBe('vgg');
    expect(shownVariant(undoDocument(doc)).name).toBe('vgg');
  });

  it('enters no history for showing a variant', () => {
    const doc = showVariant(opened(), 1);
    expect(doc.past).toHaveLength(0);
    expect(isUnsaved(doc)).toBe(false);
  });
});
