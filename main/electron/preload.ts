import { contextBridge, ipcRenderer } from 'electron';
import { HOST_EVENT_CHANNEL } from '../../shared/api/designer-api.ts';
import { createDesignerBridge } from './designer-bridge.ts';

// Bundled to one CommonJS file (app/dist/preload.cjs): a sandboxed preload can require only 'electron'.
contextBridge.exposeInMainWorld(
  'blockwise',
  createDesignerBridge(
    (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    (channel, listener) => {
      const handler = (_event: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, handler);
      return () => void ipcRenderer.removeListener(channel, handler);
    },
    HOST_EVENT_CHANNEL,
  ),
);
