import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { designerChannels, maxPayloadChars } from '../../shared/api/designer-api.ts';
import { editorCommands } from '../../shared/api/editor-commands.ts';
import { DocumentService } from '../host/document-service.ts';
import { nodeFileSystem } from '../services/file-system.ts';
import { APP_ORIGIN, appResponse } from './app-protocol.ts';
import { closeAnswer, closeQuestion } from './close-guard.ts';
import { dialogPaths } from './file-dialogs.ts';
import { handleIpcCall, isOwnMainFrame, registerDesignerIpc, type IpcGateway } from './ipc-gateway.ts';
import { documentsFromArgv } from './launch-files.ts';
import { menuTemplate } from './native-menu.ts';
import { hardenWindow } from './web-security.ts';
import { CONTENT_SECURITY_POLICY } from '../services/static-files.ts';
import { mainWindowOptions } from './window-options.ts';
import { WindowStateStore } from './window-state.ts';

const temp = () => mkdtempSync(join(tmpdir(), 'bw-electron-'));
const OWN = { senderFrame: { url: `${APP_ORIGIN}/index.html` } };

function gateway(): IpcGateway {
  const dir = temp();
  return {
    api: new DocumentService(nodeFileSystem, { documents: join(dir, 'docs'), data: join(dir, 'data') }),
    isOwnFrame: (e) => e.senderFrame === OWN.senderFrame,
  };
}
const call = (channel: string, args: unknown[], event: object = OWN) =>
  handleIpcCall(gateway(), channel, event as typeof OWN & Parameters<typeof handleIpcCall>[2], args);

describe('the IPC gateway', () => {
  it('registers the DesignerApi channels and no other', () => {
    const handled: string[] = [];
    registerDesignerIpc({ handle: (channel) => void handled.push(channel) }, gateway());
    expect(handled.sort()).toEqual(Object.values(designerChannels).sort());
  });

  it('answers a good call with { ok, value }', async () => {
    await expect(call('document:recent', [])).resolves.toEqual({ ok: true, value: [] });
  });

  it.each([
    ['an unknown channel', 'fs:readFile', ['/etc/passwd'], OWN, 'unknownChannel'],
    [
      'a foreign sender',
      'document:recent',
      [],
      { senderFrame: { url: 'https://evil.example' } },
      'foreignSender',
    ],
    ['no sender frame', 'document:recent', [], { senderFrame: null }, 'foreignSender'],
    ['a malformed payload', 'document:open', [42], OWN, 'badPayload'],
    ['extra arguments', 'document:recent', ['more'], OWN, 'badPayload'],
    [
      'an oversized payload',
      'recovery:write',
      ['x'.repeat(maxPayloadChars('recovery:write'))],
      OWN,
      'tooLarge',
    ],
  ])('refuses %s', async (_what, channel, args, event, reason) => {
    const reply = await call(channel, args, event);
    expect(reply).toMatchObject({ ok: false, reason });
    expect((reply as { error: string }).error.length).toBeGreaterThan(10);
  });

  it('turns a refusal or a failure of the service into an error reply, not a throw', async () => {
    const reply = await call('document:open', ['/etc/passwd']);
    expect(reply).toMatchObject({ ok: false, reason: 'refused', error: /not among the documents/ });
    const write = await call('document:save', [{ path: '/tmp/x.txt', suggestedName: 'x', text: 'x' }]);
    expect(write).toMatchObject({ ok: false, reason: 'refused' });
  });

  it('takes calls only from our window’s main frame showing our own page (the real predicate)', () => {
    const mainFrame = { url: `${APP_ORIGIN}/index.html` };
    const window = { webContents: { mainFrame } };
    expect(isOwnMainFrame(mainFrame, window, APP_ORIGIN)).toBe(true);
    // A sub-frame, even of our origin; our main frame after navigating elsewhere; no window; no frame.
    expect(isOwnMainFrame({ url: `${APP_ORIGIN}/index.html` }, window, APP_ORIGIN)).toBe(false);
    const navigated = { url: 'https://evil.example/' };
    expect(isOwnMainFrame(navigated, { webContents: { mainFrame: navigated } }, APP_ORIGIN)).toBe(false);
    const lookalike = { url: `${APP_ORIGIN}.evil.example/` };
    expect(isOwnMainFrame(lookalike, { webContents: { mainFrame: lookalike } }, APP_ORIGIN)).toBe(false);
    expect(isOwnMainFrame(mainFrame, null, APP_ORIGIN)).toBe(false);
    expect(isOwnMainFrame(null, window, APP_ORIGIN)).toBe(false);
  });
});

describe('the window and its page', () => {
  it('keeps the renderer isolated: contextIsolation, sandbox, no Node integration', () => {
    const options = mainWindowOptions('/app/dist/preload.cjs', null);
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(
      mainWindowOptions('/p', { x: 10, y: 20, width: 1000, height: 700, maximized: false }),
    ).toMatchObject({
      x: 10,
      y: 20,
      width: 1000,
      height: 700,
    });
  });

  it('serves the built renderer from app:// with the CSP, and nothing outside it', async () => {
    const root = temp();
    await nodeFileSystem.writeBytes(join(root, 'index.html'), '<h1>Blockwise</h1>');
    const page = await appResponse(nodeFileSystem, root, `${APP_ORIGIN}/index.html`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'/);
    for (const url of [`${APP_ORIGIN}/../../etc/passwd`, `${APP_ORIGIN}/%2e%2e/x`, 'app://other/index.html'])
      expect((await appResponse(nodeFileSystem, root, url)).status, url).toBe(404);
  });

  it('denies new windows, navigation away, webviews and every permission', () => {
    const handlers = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
    let openHandler: (() => { action: string }) | undefined;
    let requestHandler: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let checkHandler: (() => boolean) | undefined;
    hardenWindow(
      {
        on: ((name: string, h: (e: { preventDefault(): void }, url?: string) => void) =>
          handlers.set(name, h)) as never,
        setWindowOpenHandler: ((h: () => { action: string }) => (openHandler = h)) as never,
      },
      {
        setPermissionRequestHandler: ((h: typeof requestHandler) => (requestHandler = h)) as never,
        setPermissionCheckHandler: ((h: typeof checkHandler) => (checkHandler = h)) as never,
      },
      APP_ORIGIN,
    );
    expect(openHandler!()).toEqual({ action: 'deny' });
    const away = { preventDefault: vi.fn() };
    handlers.get('will-navigate')!(away, 'https://example.com/');
    expect(away.preventDefault).toHaveBeenCalled();
    const home = { preventDefault: vi.fn() };
    handlers.get('will-navigate')!(home, `${APP_ORIGIN}/index.html`);
    expect(home.preventDefault).not.toHaveBeenCalled();
    const redirect = { preventDefault: vi.fn() };
    handlers.get('will-redirect')!(redirect, 'https://example.com/login');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const frame = { preventDefault: vi.fn(), url: 'https://example.com/' };
    handlers.get('will-frame-navigate')!(frame);
    expect(frame.preventDefault).toHaveBeenCalled();
    const ownFrame = { preventDefault: vi.fn(), url: `${APP_ORIGIN}/index.html` };
    handlers.get('will-frame-navigate')!(ownFrame);
    expect(ownFrame.preventDefault).not.toHaveBeenCalled();
    const garbage = { preventDefault: vi.fn() };
    handlers.get('will-navigate')!(garbage, 'not a url');
    expect(garbage.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const answer = vi.fn();
    requestHandler!(null, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    expect(checkHandler!()).toBe(false);
  });
});

describe('menus, dialogs, launch files and closing', () => {
  it('builds the menu from the command table, accelerators shown but left to the page', () => {
    const run = vi.fn();
    const openRecent = vi.fn();
    const menus = menuTemplate(run, [{ path: '/d/a.blockwise.json', name: 'a' }], openRecent);
    const items = menus.flatMap((m) => m.submenu as { label?: string; click?: () => void }[]);
    for (const c of editorCommands.filter((c) => c.menu !== null)) {
      const item = items.find((i) => i.label === c.label) as Record<string, unknown>;
      expect(item, c.id).toBeDefined();
      if ('accelerator' in c)
        expect(item).toMatchObject({ accelerator: c.accelerator, registerAccelerator: false });
    }
    items.find((i) => i.label === 'Save as…')!.click!();
    expect(run).toHaveBeenCalledWith('saveAs');
    const recent = items.find((i) => i.label === 'Open recent') as { submenu: { click(): void }[] };
    recent.submenu[0]!.click();
    expect(openRecent).toHaveBeenCalledWith('/d/a.blockwise.json');
  });

  it('offers the developer tools in a developer’s build only', () => {
    const roles = (development: boolean) =>
      menuTemplate(vi.fn(), [], vi.fn(), development).flatMap((m) =>
        (m.submenu as { role?: string }[]).map((i) => i.role),
      );
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
  });

  it('asks paths with the native dialogs, suggesting a safe name, and reads a cancel as null', async () => {
    const dialog = {
      showOpenDialog: vi.fn().mockResolvedValue({ canceled: true, filePaths: [] }),
      showSaveDialog: vi.fn().mockResolvedValue({ canceled: false, filePath: '/x/VGG.svg' }),
    };
    const paths = dialogPaths(dialog as never, () => null, '/home/me/Blockwise');
    await expect(paths.open()).resolves.toBeNull();
    await expect(paths.save('VGG/11?', 'svg')).resolves.toBe('/x/VGG.svg');
    expect(dialog.showSaveDialog).toHaveBeenCalledWith({
      defaultPath: '/home/me/Blockwise/VGG-11-.svg',
      filters: [{ name: 'SVG image', extensions: ['svg'] }],
      properties: ['showOverwriteConfirmation'],
    });
    expect(paths.asksBeforeReplacing).toBe(true);
  });

  it('adds a dataset folder only through the folder dialog, never by a path from the page', async () => {
    const dialog = {
      showOpenDialog: vi.fn().mockResolvedValue({ canceled: false, filePaths: ['/data/digits'] }),
      showSaveDialog: vi.fn(),
    };
    const paths = dialogPaths(dialog as never, () => null, '/home/me/Blockwise');
    await expect(paths.datasetFolder(null)).resolves.toBe('/data/digits');
    expect(dialog.showOpenDialog).toHaveBeenCalledWith({
      defaultPath: '/home/me/Blockwise',
      properties: ['openDirectory'],
    });
    await expect(paths.datasetFolder('/etc')).rejects.toThrow(/adds dataset folders with its dialog/);
    expect(dialog.showOpenDialog).toHaveBeenCalledTimes(1);
  });

  it('takes graph files from a command line, made absolute, and skips switches', () => {
    expect(
      documentsFromArgv(['--inspect', 'nets/a.blockwise.json', '/abs/b.json', 'notes.txt'], '/home/me'),
    ).toEqual(['/home/me/nets/a.blockwise.json', '/abs/b.json']);
  });

  it('asks before closing with unsaved work, and only then', () => {
    expect(closeQuestion({ name: 'Net', unsaved: false })).toBeNull();
    const q = closeQuestion({ name: 'Net', unsaved: true })!;
    expect(q.message).toMatch(/“Net” has unsaved changes/);
    expect(q.buttons.map((_, i) => closeAnswer(i))).toEqual(['save', 'close', 'stay']);
    expect(closeAnswer(q.cancelId)).toBe('stay');
  });

  it('remembers the window’s place, and ignores a damaged record', async () => {
    const path = join(temp(), 'state', 'window.json');
    const store = new WindowStateStore(nodeFileSystem, path);
    expect(await store.load()).toBeNull();
    await store.save({ x: 5, y: 6, width: 1200, height: 800, maximized: true });
    expect(await store.load()).toEqual({ x: 5, y: 6, width: 1200, height: 800, maximized: true });
    await nodeFileSystem.writeBytes(path, '{"width": -3}');
    expect(await store.load()).toBeNull();
  });
});
