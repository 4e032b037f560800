import { beforeEach, describe, expect, it } from 'vitest';
import { findTemplate } from '../../../shared/templates/catalogue.ts';
import { documentRecipe } from '../../../shared/templates/template.ts';
import { currentVariants, freeVariantName, hasUnsavedChanges, useDocument } from './document-store.ts';

const lenet = findTemplate('lenet')!.build();
const vgg = findTemplate('vgg-mini')!.build();
const doc = () => useDocument.getState();
const setUnits = (units: number) =>
  doc().dispatch({
    kind: 'setParams',
    id: 'dense1',
    params: { ...vgg.nodes.find((n) => n.id === 'dense1')!.params, units },
  });

describe('variants in the document store', () => {
  beforeEach(() =>
    doc().openVariants({
      variants: [
        { name: 'lenet', graph: lenet },
        { name: 'vgg', graph: vgg },
      ],
      shown: 1,
      name: 'Nets',
      path: '/docs/Nets.blockwise.json',
      recipe: documentRecipe(undefined),
    }),
  );

  it('opens on the variant that was shown, with nothing unsaved', () => {
    expect(doc().history.graph).toBe(vgg);
    expect(hasUnsavedChanges(doc())).toBe(false);
  });

  it('keeps each variant’s edits and undo history when another is shown', () => {
    setUnits(64);
    const edited = doc().history.graph;
    expect(hasUnsavedChanges(doc())).toBe(true);
    doc().showVariant(0);
    expect(doc().history.graph).toBe(lenet);
    expect(currentVariants(doc()).map((v) => v.graph)).toEqual([lenet, edited]);
    doc().showVariant(1);
    expect(doc().history.graph).toBe(edited);
    doc().undo();
    expect(doc().history.graph).toEqual(vgg);
  });

  it('adds a duplicate, shows it, and counts it as unsaved until saved', () => {
    const before = doc().canvasId;
    doc().addVariants([{ name: freeVariantName(doc(), 'vgg'), graph: vgg }], true);
    expect(doc().variants.map((v) => v.name)).toEqual(['lenet', 'vgg', 'vgg 2']);
    expect(doc().variant).toBe(2);
    expect(doc().canvasId).toBe(before + 1);
    expect(hasUnsavedChanges(doc())).toBe(true);
    doc().markSaved('/docs/Nets.blockwise.json', 'Nets');
    expect(hasUnsavedChanges(doc())).toBe(false);
    doc().renameVariant(2, 'wide');
    expect(hasUnsavedChanges(doc())).toBe(true);
    expect(freeVariantName(doc(), 'lenet')).toBe('lenet 2');
  });

  it('removes a variant and keeps showing the same one (or the one before it)', () => {
    doc().addVariants([{ name: 'third', graph: lenet }], false);
    expect(doc().variant).toBe(1);
    doc().removeVariant(0);
    expect(doc().variants.map((v) => v.name)).toEqual(['vgg', 'third']);
    expect(doc().variant).toBe(0);
    expect(doc().history.graph).toBe(vgg);
    doc().removeVariant(0);
    expect(doc().history.graph).toBe(lenet);
    // The last variant stays.
    doc().removeVariant(0);
    expect(doc().variants).toHaveLength(1);
  });
});
