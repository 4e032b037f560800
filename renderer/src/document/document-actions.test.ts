import { afterEach, describe, expect, it, vi } from 'vitest';
import { findTemplate } from '../../../shared/templates/catalogue.ts';
import { documentRecipe } from '../../../shared/templates/template.ts';
import { discardRecovery, startAutosave } from './document-actions.ts';
import { useDocument } from './document-store.ts';

/** The host's answers, held back until the test lets them through, and the order its calls arrived in. */
const host = vi.hoisted(() => {
  const calls: string[] = [];
  let finishWrite = () => {};
  return {
    calls,
    finishWrite: () => finishWrite(),
    api: {
      writeRecovery: () => {
        calls.push('writeRecovery');
        return new Promise<void>((resolve) => (finishWrite = resolve));
      },
      clearRecovery: () => {
        calls.push('clearRecovery');
        return Promise.resolve();
      },
    },
  };
});
vi.mock('../host/host-api.ts', () => ({ hostApi: host.api }));

const vgg = findTemplate('vgg-mini')!.build();
const doc = () => useDocument.getState();

describe('discarding the recovered work', () => {
  afterEach(() => vi.useRealTimers());

  it('waits behind an autosave still being written, so the file it clears stays cleared', async () => {
    vi.useFakeTimers();
    doc().open(vgg, 'VGG', documentRecipe(undefined));
    const stop = startAutosave();
    const dense = vgg.nodes.find((n) => n.id === 'dense1')!;
    doc().dispatch({ kind: 'setParams', id: 'dense1', params: { ...dense.params, units: 7 } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.calls).toEqual(['writeRecovery']);
    const discarded = discardRecovery();
    await vi.advanceTimersByTimeAsync(0);
    // Sent at once, the clearing would reach the host before the write it must follow.
    expect(host.calls).toEqual(['writeRecovery']);
    host.finishWrite();
    await discarded;
    expect(host.calls).toEqual(['writeRecovery', 'clearRecovery']);
    stop();
  });
});
