import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  designerChannels,
  maxPayloadChars,
  type DesignerApi,
  type SaveRunRequest,
} from '../../shared/api/designer-api.ts';
import { callDesigner, type DesignerReply } from '../../shared/api/designer-calls.ts';
import { DATASET_ROUTE, type DatasetCatalogue } from '../services/dataset-catalogue.ts';
import type { FileSystem } from '../services/file-system.ts';
import { pageHeaders, readStaticFile } from '../services/static-files.ts';
import type { DocumentService } from './document-service.ts';
import { spoolBody, type SpooledBody } from './spooled-body.ts';

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

/** The launch's cookie: named by port, as browsers share cookies between the ports of one host. */
const cookieName = (port: string) => `blockwise-token-${port}`;

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * The token a request carries: a page load's in its URL (the address just printed wins over an old
 * cookie) or its cookie; an API or dataset call's only in its header or cookie, never in a URL (URLs
 * land in history and logs).
 */
function tokenOf(req: IncomingMessage, url: URL, page: boolean): string {
  const cookie = cookieOf(req, cookieName(url.port));
  const header = req.headers['x-blockwise-token'] as string | undefined;
  return (page ? url.searchParams.get('token') : null) ?? header ?? cookie ?? '';
}

/** What a page load without the launch's token gets: what happened and what to do, not JSON. */
const STALE_PAGE = `<!doctype html><meta charset="utf-8"><title>Blockwise</title>
<body style="font: 15px system-ui; max-width: 36em; margin: 4em auto">
<h1>This address is out of date</h1>
<p>Blockwise was started again, or this link lost its key. Open the address that <code>npm start</code>
printed last (it ends in <code>?token=…</code>); your documents are where they were.</p>`;

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
    'cache-control': 'no-store',
    ...pageHeaders(''),
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
  /** Keeps runs from their decoded files: run:save bodies then stream to disk instead of into memory. */
  runs?: Pick<DocumentService, 'keepRun'>;
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
    const page = !url.pathname.startsWith('/api/') && !url.pathname.startsWith(`/${DATASET_ROUTE}/`);
    if (!sameSecret(tokenOf(req, url, page), token))
      return page
        ? send(res, 401, STALE_PAGE, 'text/html; charset=utf-8')
        : send(res, 401, JSON.stringify({ ok: false, error: 'missing or wrong token' }));
    if (!page && url.pathname.startsWith('/api/')) return api(req, res, url.pathname.slice(5));
    if (!page) return serveDataset(res, url.pathname);
    if (url.searchParams.has('token')) return keepTokenInCookie(res, url);
    return serveFile(res, url.pathname);
  }

  /** The first load: the token goes into an HttpOnly cookie and out of the address bar (and history). */
  function keepTokenInCookie(res: ServerResponse, url: URL) {
    url.searchParams.delete('token');
    const cookie = `${cookieName(url.port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    return send(res, 303, '', 'text/plain', {
      location: `${url.pathname}${url.search}`,
      'set-cookie': cookie,
    });
  }

  async function api(req: IncomingMessage, res: ServerResponse, channel: string) {
    if (req.method !== 'POST')
      return send(res, 405, JSON.stringify({ ok: false, error: 'API calls are POST requests' }));
    if (channel === designerChannels.saveRun && options.runs) return saveRun(req, res, options.runs);
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
    return answer(res, await callDesigner(options.api, channel, (body as { args?: unknown })?.args));
  }

  function answer(res: ServerResponse, reply: DesignerReply) {
    const status = reply.ok ? 200 : STATUS[reply.reason];
    return send(res, status, JSON.stringify(reply.ok ? reply : { ok: false, error: reply.error }));
  }

  /**
   * run:save with its body on disk (spooled-body.ts): the payload is checked as every call's is, its long
   * strings as empty ones, then those are read back from the file, base64 decoded window by window.
   */
  async function saveRun(req: IncomingMessage, res: ServerResponse, runs: Pick<DocumentService, 'keepRun'>) {
    let body: SpooledBody;
    try {
      body = await spoolBody(req as AsyncIterable<Buffer>, maxPayloadChars(designerChannels.saveRun));
    } catch (e) {
      const status = (e as { status?: number }).status ?? 400;
      const error = status === 413 ? 'payload too large' : 'body is not JSON';
      return send(res, status, JSON.stringify({ ok: false, error }));
    }
    try {
      const files = await spooledRunFiles(body);
      if (typeof files === 'string')
        return send(res, 400, JSON.stringify({ ok: false, error: `bad payload for run:save: ${files}` }));
      // The files the schema let through, by name: none other reaches the disk ("../x" among them).
      const keep = (r: SaveRunRequest) =>
        runs.keepRun({ ...r, files: Object.fromEntries(Object.keys(r.files).map((n) => [n, files[n]!])) });
      const keeper: DesignerApi = Object.create(options.api, { saveRun: { value: keep } });
      return answer(res, await callDesigner(keeper, designerChannels.saveRun, withEmptyStrings(body)));
    } finally {
      await body.dispose();
    }
  }

  /** /datasets/<id>/<file>: a catalogue dataset's file for the training worker, and nothing else. */
  async function serveDataset(res: ServerResponse, pathname: string) {
    const bytes = await options.datasets?.servedFile(pathname);
    if (!bytes) return send(res, 404, JSON.stringify({ ok: false, error: `no dataset file ${pathname}` }));
    return send(res, 200, bytes, 'application/octet-stream');
  }

  async function serveFile(res: ServerResponse, pathname: string) {
    const file = await readStaticFile(options.fs, options.root, pathname);
    if (!file) return send(res, 404, 'not found', 'text/plain');
    return send(res, 200, file.bytes, file.type, pageHeaders(pathname));
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

/** The call's arguments with each long string as an empty one, for the payload's schema to check. */
function withEmptyStrings({ value, strings }: SpooledBody): unknown {
  const args = (value as { args?: unknown } | null)?.args;
  return JSON.parse(
    JSON.stringify(args ?? null, (_, v: unknown) => (typeof v === 'string' && strings.has(v) ? '' : v)),
  );
}

/** The run's files from the body, text as it is and bytes decoded; a sentence when one is not what it should be. */
async function spooledRunFiles(body: SpooledBody): Promise<Record<string, Uint8Array | string> | string> {
  const request = ((body.value as { args?: unknown[] } | null)?.args ?? [])[0] as
    { files?: unknown } | undefined;
  const files: Record<string, Uint8Array | string> = {};
  for (const [name, file] of Object.entries(
    (request?.files ?? {}) as Record<string, { text?: unknown; base64?: unknown }>,
  )) {
    const spooled = body.strings.get(String(file?.text ?? file?.base64));
    if (typeof file?.text === 'string') files[name] = spooled ? await body.text(spooled) : file.text;
    else if (typeof file?.base64 === 'string') {
      const bytes = spooled
        ? await body.base64Bytes(spooled)
        : new Uint8Array(Buffer.from(file.base64, 'base64'));
      if (!bytes) return `${name} must be base64`;
      files[name] = bytes;
    }
  }
  return files;
}
