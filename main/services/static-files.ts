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
 * The page may load only its own files (app://), run WebAssembly (the wasm backend) and its own workers, and
 * draw its own images; inline styles are allowed because React Flow positions nodes with them.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The training worker's script: the same, but it may start blob: scripts (threaded wasm's pthreads). */
export const WORKER_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "script-src 'self' 'wasm-unsafe-eval'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
);

/**
 * The headers of every file the page is made of, in both hosts: its content security policy (the worker's
 * may run the blob: scripts tfjs makes), no sniffing, no referrer, no framing, and cross-origin isolation.
 */
export function pageHeaders(pathname: string): Record<string, string> {
  const worker = /\/assets\/training\.worker-[\w-]+\.js$/.test(pathname);
  return {
    'content-security-policy': worker ? WORKER_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    ...ISOLATION_HEADERS,
  };
}

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
