import { extname, join, normalize, sep } from 'node:path';
import type { FileSystem } from './file-system.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/**
 * Cross-origin isolation on every response of both hosts, the page's and the worker's alike (on
 * index.html alone the worker script would not load): threaded WebAssembly needs SharedArrayBuffer, which
 * needs isolation.
 */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/**
 * A file of the built renderer for a URL path, or null for one outside `root` or missing. Both hosts (the
 * browser-mode HTTP host and the desktop app's app:// protocol) serve the UI through this.
 */
export async function readStaticFile(
  fs: FileSystem,
  root: string,
  pathname: string,
): Promise<{ bytes: Uint8Array; type: string } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' || pathname === '' ? '/index.html' : pathname);
  } catch {
    return null;
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  const file = join(root, relative);
  if (!file.startsWith(root + sep) || !(await fs.exists(file))) return null;
  return { bytes: await fs.readBytes(file), type: TYPES[extname(file)] ?? 'application/octet-stream' };
}
