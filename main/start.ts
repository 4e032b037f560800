import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './electron/build-app.ts';
import { findElectronBinary } from './electron/electron-binary.ts';
import { startBrowserHost } from './host/browser-host.ts';
import { composeHostServices, sweepHostFolders } from './host/host-services.ts';
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

/** The desktop app: built into app/dist, then launched; its exit ends this command. */
async function startDesktop(electron: string): Promise<void> {
  console.log('Starting the Blockwise desktop app (Electron). Building it first (app/dist)…');
  await buildApp();
  const child = spawn(electron, [join(repo, 'app'), ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** Browser mode: a local host on 127.0.0.1, opened in Chromium's app mode when possible. */
async function startBrowserMode(why: string) {
  console.log(`Starting Blockwise in browser mode: no Electron binary here (${why}).`);
  // Built every start (about two seconds), so the UI is never older than its source.
  await buildRenderer();
  const home = join(homedir(), 'Blockwise');
  const folders = { documents: home, data: join(home, '.data') };
  await sweepHostFolders(folders);
  const { documents, datasets } = composeHostServices(folders);
  const host = await startBrowserHost({
    root: rendererRoot,
    api: documents,
    fs: nodeFileSystem,
    datasets,
    runs: documents,
  });
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

const electron = findElectronBinary();
await (electron.ok ? startDesktop(electron.path) : startBrowserMode(electron.reason));
