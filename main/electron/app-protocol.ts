import type { Protocol } from 'electron';
import type { FileSystem } from '../services/file-system.ts';
import { DATASET_ROUTE, type DatasetCatalogue } from '../services/dataset-catalogue.ts';
import { ISOLATION_HEADERS, pageHeaders, readStaticFile } from '../services/static-files.ts';
import { originOf } from './web-security.ts';

/** The renderer is served from app://blockwise/, never file://: one origin, and only the built UI in it. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://blockwise';

/** Registered before the app is ready: a standard, secure scheme that fetch and WebAssembly accept. */
export const APP_SCHEME_PRIVILEGES = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
];

export interface AppResponse {
  status: number;
  body: Uint8Array | string;
  headers: Record<string, string>;
}

/** A file on app://: the built renderer's, or a catalogue dataset's (/datasets/<id>/<file>). */
async function appFile(
  fs: FileSystem,
  root: string,
  pathname: string,
  datasets?: Pick<DatasetCatalogue, 'servedFile'>,
): Promise<{ bytes: Uint8Array; type: string } | null> {
  if (!pathname.startsWith(`/${DATASET_ROUTE}/`)) return readStaticFile(fs, root, pathname);
  const bytes = await datasets?.servedFile(pathname);
  return bytes ? { bytes, type: 'application/octet-stream' } : null;
}

/**
 * The answer to one app:// request: a file with the CSP and cross-origin isolation, or 404. The training
 * worker's own script also allows blob: scripts: threaded wasm starts its threads from blob: URLs.
 */
export async function appResponse(
  fs: FileSystem,
  root: string,
  requestUrl: string,
  datasets?: Pick<DatasetCatalogue, 'servedFile'>,
): Promise<AppResponse> {
  const pathname = new URL(requestUrl).pathname;
  const file = originOf(requestUrl) === APP_ORIGIN ? await appFile(fs, root, pathname, datasets) : null;
  if (!file)
    return {
      status: 404,
      body: 'not found',
      headers: { 'content-type': 'text/plain', ...ISOLATION_HEADERS },
    };
  return { status: 200, body: file.bytes, headers: { 'content-type': file.type, ...pageHeaders(pathname) } };
}

export function registerAppProtocol(
  protocol: Pick<Protocol, 'handle'>,
  fs: FileSystem,
  root: string,
  datasets: Pick<DatasetCatalogue, 'servedFile'>,
): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const r = await appResponse(fs, root, request.url, datasets);
    return new Response(r.body, { status: r.status, headers: r.headers });
  });
}
