import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowBounds } from './window-state.ts';

/**
 * The main window: the renderer is isolated (contextIsolation, sandbox, no Node), and talks to main only
 * through the preload's bridge.
 */
export function mainWindowOptions(
  preload: string,
  bounds: WindowBounds | null,
): BrowserWindowConstructorOptions {
  return {
    ...(bounds ?? { width: 1400, height: 900 }),
    minWidth: 900,
    minHeight: 600,
    title: 'Blockwise',
    show: false,
    backgroundColor: '#f4f6fa',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}
