import type { Session, WebContents } from 'electron';

/**
 * A URL's scheme and host. (`URL.origin` is "null" for schemes Node does not know as special, app:// among
 * them, while Electron, where app:// is registered as standard, gives "app://blockwise": this is both.)
 */
export function originOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

/** Whether a URL is of our own origin; a URL that does not parse is not. */
function isOwn(url: string, ownOrigin: string): boolean {
  try {
    return originOf(url) === ownOrigin;
  } catch {
    return false;
  }
}

/**
 * Nothing leaves the app: no navigation, redirect or frame navigation away, no new windows, no webviews, no
 * permissions (camera, location, …). Main applies it to every web contents as it is created, not only to
 * the main window's.
 */
export function hardenWindow(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  ownOrigin: string,
): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (!isOwn(url, ownOrigin)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => stayHome(event, url));
  contents.on('will-redirect', (event, url) => stayHome(event, url));
  contents.on('will-frame-navigate', (event) => stayHome(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
