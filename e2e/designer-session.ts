import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, chromium, type Browser, type ElectronApplication, type Page } from 'playwright-core';
import { build } from 'vite';
import { buildApp } from '../main/electron/build-app.ts';
import { startBrowserHost, type BrowserHost } from '../main/host/browser-host.ts';
import { composeHostServices } from '../main/host/host-services.ts';
import { nodeFileSystem } from '../main/services/file-system.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
export const artifacts = join(repo, 'e2e', 'artifacts');
const CHROMIUM = '/usr/bin/chromium';

/** One designer in headless Chromium, served by the browser-mode host from its own build and folder. */
export interface DesignerSession {
  page: Page;
  /** The host's documents folder: what Save and Export wrote is here. */
  documents: string;
  /** The host's data folder: recovery, recent documents, the runs of documents never saved. */
  data: string;
  /** Page errors, console errors and warnings seen so far. */
  pageErrors: string[];
  /** Runs what starts an export and returns the exported file (a download in browser mode, a file on disk in the app). */
  exported(start: () => Promise<void>, fileName: string): Promise<Buffer>;
  shot(name: string): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * A first launch shows the start screen (no document to restore or reopen); the scenarios start on the
 * design behind it, so it is closed here, in one place, unless the scenario is about it.
 */
export async function closeStartScreen(page: Page): Promise<void> {
  const start = page.getByTestId('start-screen');
  await start.waitFor();
  await page.keyboard.press('Escape');
  await start.waitFor({ state: 'detached' });
}

/**
 * `fashionMnistDir`: where the host finds Fashion-MNIST (a broken copy, to see its error in the UI);
 * `startScreen: 'keep'`: the page is left on the start screen a first launch shows.
 */
export async function startDesigner(
  options: { fashionMnistDir?: string; startScreen?: 'keep' } = {},
): Promise<DesignerSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run scripts/install-system-packages.sh`);
  // Each test file builds into its own folder: files run in parallel and must not share renderer/dist.
  const work = mkdtempSync(join(tmpdir(), 'blockwise-e2e-'));
  const root = join(work, 'dist');
  await build({
    configFile: join(repo, 'renderer', 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: root, emptyOutDir: true },
  });
  mkdirSync(artifacts, { recursive: true });
  const documents = join(work, 'documents');
  const data = join(work, 'data');
  const services = composeHostServices({ documents, data }, { fashionMnistDir: options.fashionMnistDir });
  const host: BrowserHost = await startBrowserHost({
    root,
    api: services.documents,
    fs: nodeFileSystem,
    datasets: services.datasets,
  });
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && pageErrors.push(m.text()));
  await page.goto(host.url);
  if (options.startScreen !== 'keep') await closeStartScreen(page);
  return {
    page,
    documents,
    data,
    pageErrors,
    exported: async (start, fileName) => {
      const [download] = await Promise.all([page.waitForEvent('download'), start()]);
      if (download.suggestedFilename() !== fileName)
        throw new Error(`downloaded ${download.suggestedFilename()}, not ${fileName}`);
      return readFileSync(await download.path());
    },
    shot: (name) => page.screenshot({ path: join(artifacts, `${name}.png`) }),
    close: async () => {
      await browser.close();
      await host.close();
    },
  };
}

/**
 * The same designer as the desktop app: the built app launched in Electron (Playwright's _electron), its
 * documents in a temporary folder. The native save dialog answers with the path it suggests, as browser
 * mode does, so the scenarios run unchanged.
 */
export async function startElectronDesigner(executablePath: string): Promise<DesignerSession> {
  await buildApp();
  mkdirSync(artifacts, { recursive: true });
  const documents = mkdtempSync(join(tmpdir(), 'blockwise-electron-'));
  const app: ElectronApplication = await _electron.launch({
    executablePath,
    args: [join(repo, 'app')],
    env: { ...process.env, BLOCKWISE_HOME: documents },
  });
  await app.evaluate(({ dialog }) => {
    dialog.showSaveDialog = (async (...args: unknown[]) => ({
      canceled: false,
      filePath: (args[args.length - 1] as { defaultPath: string }).defaultPath,
    })) as typeof dialog.showSaveDialog;
  });
  const page = await app.firstWindow();
  await page.setViewportSize({ width: 1400, height: 900 });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && pageErrors.push(m.text()));
  await page.getByText('Blockwise').first().waitFor();
  await closeStartScreen(page);
  return {
    page,
    documents,
    // BLOCKWISE_HOME's, as main.ts sets it.
    data: join(documents, '.data'),
    pageErrors,
    exported: async (start, fileName) => {
      await start();
      await page.getByText(/Exported to/).waitFor();
      return readFileSync(join(documents, fileName));
    },
    shot: (name) => page.screenshot({ path: join(artifacts, `electron-${name}.png`) }),
    close: () => app.close(),
  };
}

/**
 * Waits until `opened` holds after an action that replaces the open document (a template, an import) in a
 * scenario that may follow one leaving unsaved work: the question about it, whenever it comes, is answered
 * Discard.
 */
export async function discardingUnsaved(
  page: Page,
  opened: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const discard = page.getByTestId('confirm-discard');
  const end = Date.now() + timeoutMs;
  while (!(await opened())) {
    if (await discard.isVisible()) await discard.click();
    if (Date.now() > end) {
      await page.screenshot({ path: join(artifacts, 'document-did-not-open.png') });
      throw new Error(`the document did not open in ${timeoutMs / 1000} s (see document-did-not-open.png)`);
    }
    await page.waitForTimeout(100);
  }
}
