import { beforeEach, describe, expect, it, vi } from 'vitest';
import { designerChannels, HOST_EVENT_CHANNEL } from '../../shared/api/designer-api.ts';

// Only the electron module is faked: the preload's own code runs as it does in the app.
const exposed = new Map<string, unknown>();
const invoke = vi.fn();
const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) =>
      listeners.set(channel, listener),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}));

type Bridge = Record<string, (...args: unknown[]) => unknown>;

describe('the preload', () => {
  beforeEach(async () => {
    exposed.clear();
    vi.resetModules();
    await import('./preload.ts');
  });

  it('exposes exactly the DesignerApi functions and onHostEvent, as window.blockwise, and nothing else', () => {
    expect([...exposed.keys()]).toEqual(['blockwise']);
    const bridge = exposed.get('blockwise') as Bridge;
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(designerChannels), 'onHostEvent'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('turns replies into values and refusals into errors', async () => {
    const bridge = exposed.get('blockwise') as Bridge;
    invoke.mockResolvedValueOnce({ ok: true, value: [{ path: '/a', name: 'a' }] });
    await expect(bridge['recentDocuments']!()).resolves.toEqual([{ path: '/a', name: 'a' }]);
    expect(invoke).toHaveBeenLastCalledWith('document:recent');
    invoke.mockResolvedValueOnce({ ok: false, error: 'bad payload for document:open: expected string' });
    await expect(bridge['openDocument']!(5)).rejects.toThrow(/bad payload/);
  });

  it('passes on well-formed host events only, and stops when asked', () => {
    const bridge = exposed.get('blockwise') as Bridge;
    const heard: unknown[] = [];
    const stop = bridge['onHostEvent']!((e: unknown) => heard.push(e)) as () => void;
    const send = listeners.get(HOST_EVENT_CHANNEL)!;
    send({}, { kind: 'command', id: 'save' });
    send({}, { kind: 'command', id: 'rm -rf' });
    send({}, { kind: 'open', path: '/home/me/net.blockwise.json' });
    expect(heard).toEqual([
      { kind: 'command', id: 'save' },
      { kind: 'open', path: '/home/me/net.blockwise.json' },
    ]);
    stop();
    expect(listeners.has(HOST_EVENT_CHANNEL)).toBe(false);
  });
});
