import { beforeEach, describe, expect, it, vi } from 'vitest';
import { findTemplate } from '../../../shared/templates/catalogue.ts';
import { documentRecipe } from '../../../shared/templates/template.ts';
import { scopeOf } from '../document/canvas-scope.ts';
import { useDocument } from '../document/document-store.ts';
import { useDialogs } from '../ui/dialog-store.ts';
import { commandEnabled, runCommand } from './editor-actions.ts';
import { showStart, useStart } from '../start/start-store.ts';

// The page's globals the stores read as they load (Node 20 has no navigator).
vi.hoisted(() => Object.assign(globalThis, { navigator: { hardwareConcurrency: 2 } }));

const doc = () => useDocument.getState();
const dialog = () => useDialogs.getState().dialog;

describe('editor commands: one enabled check for keys, buttons and the menu', () => {
  beforeEach(() => {
    doc().open(findTemplate('vgg-mini')!.build(), 'VGG-mini', documentRecipe(undefined));
    useDialogs.getState().show(null);
  });

  it('leaves the canvas alone while the start screen covers it, and toggles the start screen', () => {
    doc().select(['dense1']);
    runCommand('start');
    expect(useStart.getState().shown).toBe(true);
    for (const id of ['delete', 'deleteAlt', 'selectAll', 'duplicate', 'tidy'] as const)
      expect(commandEnabled(id), id).toBe(false);
    const graph = doc().history.graph;
    runCommand('duplicate');
    expect(doc().history.graph).toBe(graph);
    expect(commandEnabled('new')).toBe(true);
    runCommand('start');
    expect(useStart.getState().shown).toBe(false);
    runCommand('duplicate');
    expect(doc().history.graph.nodes).toHaveLength(graph.nodes.length + 1);
    showStart(false);
  });

  it('makes a block from a selection on the document', () => {
    doc().select(['dense1', 'dropout1']);
    expect(commandEnabled('makeBlock')).toBe(true);
    runCommand('makeBlock');
    expect(dialog()).toBe('makeBlock');
  });

  it('inside a built-in block (read-only) offers no Make block, Paste, Duplicate or Tidy, by any path', () => {
    doc().openBlock('vgg1');
    expect(scopeOf(doc()).editable).toBe(false);
    doc().select([scopeOf(doc()).graph.nodes.find((n) => n.type === 'Conv2D')!.id]);
    for (const id of ['makeBlock', 'duplicate', 'paste', 'tidy'] as const)
      expect(commandEnabled(id), id).toBe(false);
    // The key path (Ctrl+B) once opened the dialog here, and the edit was refused after it was filled in.
    runCommand('makeBlock');
    expect(dialog()).toBe(null);
    // Selecting and copying still work: they change nothing.
    expect(commandEnabled('copy')).toBe(true);
  });

  it('undo and redo run only when there is something to undo or redo', () => {
    expect([commandEnabled('undo'), commandEnabled('redo')]).toEqual([false, false]);
    const graph = doc().history.graph;
    runCommand('undo');
    expect(doc().history.graph).toBe(graph);
    doc().select(['dropout1']);
    runCommand('duplicate');
    expect(commandEnabled('undo')).toBe(true);
    runCommand('undo');
    expect(doc().history.graph).toEqual(graph);
    expect(commandEnabled('redo')).toBe(true);
  });

  it('undoes a recipe edit or a new variant by the same command (keys and buttons alike)', () => {
    const recipe = doc().doc.recipe;
    doc().editRecipe({ ...recipe, lr: 0.5 }, 'Learning rate');
    expect(commandEnabled('undo')).toBe(true);
    runCommand('undo');
    expect(doc().doc.recipe).toBe(recipe);
    expect(commandEnabled('redo')).toBe(true);
    runCommand('duplicateVariant');
    expect(doc().variants).toHaveLength(2);
    runCommand('undo');
    expect(doc().variants).toHaveLength(1);
  });
});

describe('Escape: one thing per press, the topmost first', () => {
  it('closes a dialog over the compare view, then the compare view, the start screen, the open block', async () => {
    const { escape } = await import('./shortcuts.ts');
    const { useCompare } = await import('../compare/compare-store.ts');
    doc().open(findTemplate('vgg-mini')!.build(), 'VGG-mini', documentRecipe(undefined));
    doc().openBlock('vgg1');
    showStart(true);
    useCompare.setState({ open: true });
    useDialogs.getState().show('sweep');
    escape();
    expect([dialog(), useCompare.getState().open, doc().openBlocks]).toEqual([null, true, ['vgg1']]);
    escape();
    expect([useCompare.getState().open, useStart.getState().shown]).toEqual([false, true]);
    escape();
    expect([useStart.getState().shown, doc().openBlocks]).toEqual([false, ['vgg1']]);
    escape();
    expect(doc().openBlocks).toEqual([]);
  });
});
