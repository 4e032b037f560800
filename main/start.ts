import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserHost } from './host/browser-host.ts';
import { DocumentService } from './host/document-service.ts';
import { nodeFileSystem } from './services/file-system.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const rendererRoot = join(repo, 'renderer', 'dist');
const CHROMIUM = '/usr/bin/chromium';

async function buildRenderer(): Promise<void> {
  console.log('Building the designer UI (renderer/dist)…');
  const { build } = await import('vite');
  // Errors only: React Flow's "use client" directive makes Vite warn on every build, to no purpose here.
  await build({ configFile: join(repo, 'renderer', 'vite.config.ts'), logLevel: 'error' });
}

/**
 * Starts Blockwise in browser mode: a local host on 127.0.0.1, opened in Chromium's app mode when possible.
 * (The Electron shell, for machines with an Electron binary, is a later milestone.)
 */
async function main() {
  console.log('Starting Blockwise in browser mode (the Electron app is not built yet).');
  // Built every start (about two seconds), so the UI is never older than its source.
  await buildRenderer();
  const home = join(homedir(), 'Blockwise');
  const api = new DocumentService(nodeFileSystem, { documents: home, data: join(home, '.data') });
  const host = await startBrowserHost({ root: rendererRoot, api, fs: nodeFileSystem });
  console.log(`Blockwise is running at ${host.url}\nDocuments are saved in ${home}. Stop with Ctrl-C.`);
  const display = process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY'];
  if (existsSync(CHROMIUM) && display) {
    spawn(CHROMIUM, [`--app=${host.url}`, '--no-first-run', '--disable-background-networking'], {
      stdio: 'ignore',
      detached: true,
    }).unref();
  } else {
    console.log(
      'Open that address in a browser (Chromium opens it by itself when installed and a display is available).',
    );
  }
  process.once('SIGINT', () => void host.close().then(() => process.exit(0)));
}

await main();
