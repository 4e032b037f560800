import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useCompare } from '../compare/compare-store.ts';
import { useTraining } from '../training/training-store.ts';
import { useDialogs } from '../ui/dialog-store.ts';
import { runCommand } from './editor-actions.ts';
import { escape } from './shortcuts.ts';

// The page's globals the stores read as they load (Node 20 has no navigator).
vi.hoisted(() => Object.assign(globalThis, { navigator: { hardwareConcurrency: 2 } }));

const place = () => {
  const { open, fullWindow } = useTraining.getState();
  return open ? (fullWindow ? 'whole window' : 'under the canvas') : 'closed';
};

describe('the Train panel over the whole window, and back', () => {
  beforeEach(() => {
    useTraining.setState({ open: false, fullWindow: false });
    useCompare.setState({ open: false });
    useDialogs.getState().show(null);
  });

  it('goes over the whole window by its command (opening it) and back under the canvas by it again', () => {
    runCommand('trainFullWindow');
    expect(place()).toBe('whole window');
    runCommand('trainFullWindow');
    expect(place()).toBe('under the canvas');
  });

  it('comes back under the canvas on Escape, after what is over it has closed, one thing a press', () => {
    runCommand('trainFullWindow');
    runCommand('compare');
    useDialogs.getState().show('help');
    escape();
    expect([useDialogs.getState().dialog, useCompare.getState().open, place()]).toEqual([
      null,
      true,
      'whole window',
    ]);
    escape();
    expect([useCompare.getState().open, place()]).toEqual([false, 'whole window']);
    escape();
    expect(place()).toBe('under the canvas');
  });

  it('closes from the whole window, and opens next time under the canvas', () => {
    runCommand('trainFullWindow');
    runCommand('trainPanel');
    expect(place()).toBe('closed');
    runCommand('trainPanel');
    expect(place()).toBe('under the canvas');
  });
});
