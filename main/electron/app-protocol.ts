import type { Protocol } from 'electron';
import type { FileSystem } from '../services/file-system.ts';
import { readStaticFile } from '../services/static-files.ts';
import { CONTENT_SECURITY_POLICY, originOf } from './web-security.ts';

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

/** The answer to one app:// request: a file of the built renderer with the CSP, or 404. */
export async function appResponse(fs: FileSystem, root: string, requestUrl: string): Promise<AppResponse> {
  const file =
    originOf(requestUrl) === APP_ORIGIN ? await readStaticFile(fs, root, new URL(requestUrl).pathname) : null;
  if (!file) return { status: 404, body: 'not found', headers: { 'content-type': 'text/plain' } };
  return {
    status: 200,
    body: file.bytes,
    headers: {
      'content-type': file.type,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    },
  };
}

export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, fs: FileSystem, root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const r = await appResponse(fs, root, request.url);
    return new Response(r.body, { status: r.status, headers: r.headers });
  });
}
