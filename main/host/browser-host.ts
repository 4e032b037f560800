import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { maxPayloadChars, type DesignerApi } from '../../shared/api/designer-api.ts';
import { callDesigner, type DesignerReply } from '../../shared/api/designer-calls.ts';
import { DATASET_ROUTE, type DatasetCatalogue } from '../services/dataset-catalogue.ts';
import type { FileSystem } from '../services/file-system.ts';
import { ISOLATION_HEADERS, readStaticFile } from '../services/static-files.ts';

const COOKIE = 'blockwise-token';
const STATUS: Record<Extract<DesignerReply, { ok: false }>['reason'], number> = {
  unknownChannel: 404,
  badPayload: 400,
  refused: 403,
  notFound: 404,
  failed: 500,
};

export interface BrowserHost {
  url: string;
  token: string;
  close(): Promise<void>;
}

const sameSecret = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function tokenOf(req: IncomingMessage, url: URL): string {
  const cookie = /(?:^|;\s*)blockwise-token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  return (
    (req.headers['x-blockwise-token'] as string | undefined) ?? cookie ?? url.searchParams.get('token') ?? ''
  );
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  // Past the limit the rest is read and dropped, so the client gets its 413 instead of a reset connection.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw Object.assign(new Error('payload too large'), { status: 413 });
  return Buffer.concat(chunks).toString('utf8');
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  type = 'application/json',
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    ...ISOLATION_HEADERS,
    ...headers,
  });
  res.end(body);
}

/**
 * The browser-mode host: the built renderer and the DesignerApi over HTTP, on 127.0.0.1 only, behind a
 * per-launch token (in the first URL, then an HttpOnly cookie). Other origins and foreign Host headers
 * (DNS rebinding) are refused, and every payload is checked with the shared schemas.
 */
export async function startBrowserHost(options: {
  root: string;
  api: DesignerApi;
  fs: FileSystem;
  /** Where the training worker's dataset files come from; without it, none are served. */
  datasets?: Pick<DatasetCatalogue, 'servedFile'>;
  port?: number;
}): Promise<BrowserHost> {
  const token = randomBytes(24).toString('hex');
  let origin = '';
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: Error & { status?: number }) =>
      send(res, e.status ?? 500, JSON.stringify({ ok: false, error: e.message })),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', origin);
    if (req.headers.host !== new URL(origin).host)
      return send(res, 421, JSON.stringify({ ok: false, error: 'wrong host' }));
    if (req.headers.origin && req.headers.origin !== origin)
      return send(res, 403, JSON.stringify({ ok: false, error: 'foreign origin' }));
    if (!sameSecret(tokenOf(req, url), token))
      return send(res, 401, JSON.stringify({ ok: false, error: 'missing or wrong token' }));
    if (url.pathname.startsWith('/api/')) return api(req, res, url.pathname.slice(5));
    if (url.pathname.startsWith(`/${DATASET_ROUTE}/`)) return serveDataset(res, url.pathname);
    return serveFile(res, url.pathname, url.searchParams.has('token'));
  }

  async function api(req: IncomingMessage, res: ServerResponse, channel: string) {
    if (req.method !== 'POST')
      return send(res, 405, JSON.stringify({ ok: false, error: 'API calls are POST requests' }));
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, maxPayloadChars(channel)));
    } catch (e) {
      const status = (e as { status?: number }).status ?? 400;
      return send(
        res,
        status,
        JSON.stringify({ ok: false, error: status === 413 ? 'payload too large' : 'body is not JSON' }),
      );
    }
    const reply = await callDesigner(options.api, channel, (body as { args?: unknown })?.args);
    const status = reply.ok ? 200 : STATUS[reply.reason];
    return send(res, status, JSON.stringify(reply.ok ? reply : { ok: false, error: reply.error }));
  }

  /** /datasets/<id>/<file>: a catalogue dataset's file for the training worker, and nothing else. */
  async function serveDataset(res: ServerResponse, pathname: string) {
    const bytes = await options.datasets?.servedFile(pathname);
    if (!bytes) return send(res, 404, JSON.stringify({ ok: false, error: `no dataset file ${pathname}` }));
    return send(res, 200, bytes, 'application/octet-stream');
  }

  async function serveFile(res: ServerResponse, pathname: string, setCookie: boolean) {
    const file = await readStaticFile(options.fs, options.root, pathname);
    if (!file) return send(res, 404, 'not found', 'text/plain');
    const headers: Record<string, string> = setCookie
      ? { 'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` }
      : {};
    return send(res, 200, file.bytes, file.type, headers);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    token,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
