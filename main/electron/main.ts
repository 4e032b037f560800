import { join } from 'node:path';
import { homedir } from 'node:os';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol } from 'electron';
import { HOST_EVENT_CHANNEL, type HostEvent } from '../../shared/api/designer-api.ts';
import { composeHostServices, sweepHostFolders } from '../host/host-services.ts';
import { nodeFileSystem } from '../services/file-system.ts';
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, registerAppProtocol } from './app-protocol.ts';
import { closeAnswer, closeQuestion } from './close-guard.ts';
import { dialogPaths } from './file-dialogs.ts';
import { isOwnMainFrame, registerDesignerIpc } from './ipc-gateway.ts';
import { documentsFromArgv } from './launch-files.ts';
import { menuTemplate } from './native-menu.ts';
import { hardenWindow } from './web-security.ts';
import { mainWindowOptions } from './window-options.ts';
import { WindowStateStore } from './window-state.ts';

// The desktop app's main process: it wires Electron to the services, which hold the logic and are tested
// in Node. Bundled to app/dist/main.cjs, beside preload.cjs and the built renderer.
protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);

const documents = process.env['BLOCKWISE_HOME'] ?? join(homedir(), 'Blockwise');
const data = process.env['BLOCKWISE_HOME'] ? join(documents, '.data') : app.getPath('userData');
let window: BrowserWindow | null = null;
const { datasets, documents: service } = composeHostServices(
  { documents, data },
  { choosePath: dialogPaths(dialog, () => window, documents) },
);
const windowState = new WindowStateStore(nodeFileSystem, join(data, 'window.json'));

/** Events wait until the page is listening: its first document-state report says it is. */
let pageReady = false;
const pending: HostEvent[] = [];
function send(event: HostEvent): void {
  if (pageReady && window) window.webContents.send(HOST_EVENT_CHANNEL, event);
  else pending.push(event);
}
service.onDocumentState = () => {
  if (pageReady) return;
  pageReady = true;
  pending.splice(0).forEach(send);
};

async function refreshMenu(): Promise<void> {
  const template = menuTemplate(
    (id) => send({ kind: 'command', id }),
    await service.recentDocuments(),
    (path) => send({ kind: 'open', path }),
    !app.isPackaged,
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Files from the command line or the OS: offered to the page (which may then open them) and opened. */
async function openFiles(paths: string[]): Promise<void> {
  for (const path of paths) {
    await service.remember(path);
    send({ kind: 'open', path });
  }
  if (paths.length) await refreshMenu();
}

function guardClose(event: Electron.Event, win: BrowserWindow): void {
  void windowState.save({ ...win.getNormalBounds(), maximized: win.isMaximized() });
  const question = closeQuestion(service.documentState);
  if (!question) return;
  const answer = closeAnswer(dialog.showMessageBoxSync(win, { type: 'question', ...question }));
  if (answer === 'close') return;
  event.preventDefault();
  if (answer === 'save') send({ kind: 'command', id: 'save' });
}

async function createWindow(): Promise<void> {
  const bounds = await windowState.load();
  const win = new BrowserWindow(mainWindowOptions(join(__dirname, 'preload.cjs'), bounds));
  window = win;
  pageReady = false;
  if (bounds?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => guardClose(event, win));
  win.on('closed', () => (window = null));
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const launched = documentsFromArgv(process.argv.slice(app.isPackaged ? 1 : 2), process.cwd());
  app.on('open-file', (event, path) => {
    event.preventDefault();
    void openFiles([path]);
  });
  app.on('second-instance', (_event, argv, cwd) => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
    void openFiles(documentsFromArgv(argv.slice(1), cwd));
  });
  app.on('window-all-closed', () => app.quit());
  // Every web contents, the window's and any other that might be created, gets the same rules.
  app.on('web-contents-created', (_event, contents) => hardenWindow(contents, contents.session, APP_ORIGIN));
  void app.whenReady().then(async () => {
    await sweepHostFolders({ documents, data });
    registerAppProtocol(protocol, nodeFileSystem, join(__dirname, 'renderer'), datasets);
    registerDesignerIpc(ipcMain, {
      api: service,
      isOwnFrame: ({ senderFrame }) => isOwnMainFrame(senderFrame, window, APP_ORIGIN),
    });
    await refreshMenu();
    await createWindow();
    await openFiles(launched);
  });
}
