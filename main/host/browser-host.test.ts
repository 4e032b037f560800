import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../services/file-system.ts';
import { startBrowserHost, type BrowserHost } from './browser-host.ts';
import { DocumentService } from './document-service.ts';

let host: BrowserHost;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bw-host-'));
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'index.html'), '<h1>Blockwise</h1>');
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  const api = new DocumentService(nodeFileSystem, { documents: join(dir, 'docs'), data: join(dir, 'data') });
  host = await startBrowserHost({ root: join(dir, 'www'), api, fs: nodeFileSystem, runs: api });
});
afterAll(() => host.close());

/** A raw request, so that Host and Origin can be anything. */
function call(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const url = new URL(path, host.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: url.port,
        path: url.pathname + url.search,
        method: init.method ?? 'GET',
        headers: { host: url.host, ...init.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const withToken = (headers: Record<string, string> = {}) => ({ 'x-blockwise-token': host.token, ...headers });
const post = (channel: string, args: unknown, headers: Record<string, string> = withToken()) =>
  call(`/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ args }),
  });

describe('the browser-mode host', () => {
  it('takes the launch token from the first URL into a cookie of its port, and out of the address', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    const port = new URL(host.url).port;
    const first = await call(host.url);
    expect(first.status).toBe(303);
    expect(first.headers['location']).toBe('/');
    expect(String(first.headers['set-cookie'])).toBe(
      `blockwise-token-${port}=${host.token}; HttpOnly; SameSite=Strict; Path=/`,
    );
    const cookie = `blockwise-token-${port}=${host.token}`;
    const page = await call('/index.html', { headers: { cookie } });
    expect([page.status, page.body]).toEqual([200, '<h1>Blockwise</h1>']);
    // Sent on every response: the policy as a header (a meta tag alone was), no referrer, no framing.
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect([page.headers['referrer-policy'], page.headers['x-frame-options']]).toEqual([
      'no-referrer',
      'DENY',
    ]);
  });

  it("after a restart the new URL's token wins over the old launch's cookie; a stale one gets a page that says what to do", async () => {
    const port = new URL(host.url).port;
    const stale = { cookie: `blockwise-token-${port}=${'0'.repeat(48)}` };
    expect((await call(host.url, { headers: stale })).status).toBe(303);
    const refused = await call('/', { headers: stale });
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.body).toMatch(/This address is out of date.*npm start/s);
    // The API takes the token from its header or cookie only, never from a URL.
    const inQuery = await call(`/api/document:recent?token=${host.token}`, {
      method: 'POST',
      body: '{"args":[]}',
    });
    expect(inQuery.status).toBe(401);
    expect(JSON.parse(inQuery.body)).toEqual({ ok: false, error: 'missing or wrong token' });
  });

  it.each([
    ['no token', '/index.html', () => ({}), 401],
    ['a wrong token', '/index.html', () => ({ 'x-blockwise-token': 'f'.repeat(48) }), 401],
    ['another origin', '/index.html', () => withToken({ origin: 'http://evil.example' }), 403],
    ['another Host (DNS rebinding)', '/index.html', () => withToken({ host: 'evil.example:80' }), 421],
    ['a path out of the UI folder', '/..%2Fsecret.txt', () => withToken(), 404],
  ])('refuses %s', async (_name, path, headers, status) => {
    // Headers are made per test: the host (and its token) exists only once beforeAll has run.
    const r = await call(path, { headers: headers() });
    expect(r.status).toBe(status);
    expect(r.body).not.toMatch(/not for the web/);
  });

  it('checks every API call: channel, JSON, payload shape and size', async () => {
    expect((await post('document:delete', [])).status).toBe(404);
    expect(
      (await call('/api/document:save', { method: 'POST', headers: withToken(), body: '{' })).status,
    ).toBe(400);
    const wrong = await post('document:save', [{ path: 5 }]);
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/bad payload for document:save/),
    });
    const escape = { documentPath: null, draft: 'd-1', runId: '../../etc', file: 'run.json' };
    expect((await post('run:file', [escape])).status).toBe(400);
    expect((await post('run:file', [{ ...escape, runId: 'ok', file: 'passwd' }])).status).toBe(400);
    const huge = await call('/api/recovery:write', {
      method: 'POST',
      headers: withToken(),
      body: 'x'.repeat(51 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    expect((await post('document:save', [{ path: null, suggestedName: 'n', text: 't' }], {})).status).toBe(
      401,
    );
  });

  it('saves documents and keeps crash recovery through the shared DesignerApi', async () => {
    const saved = await post('document:save', [
      { path: null, suggestedName: 'My net/../x', text: '{"a":1}' },
    ]);
    const { value } = JSON.parse(saved.body) as { value: { status: string; path: string; name: string } };
    expect(value.status).toBe('saved');
    expect(value.path).toBe(join(dir, 'docs', 'My net-x.blockwise.json'));
    expect(readFileSync(value.path, 'utf8')).toBe('{"a":1}');
    expect(JSON.parse((await post('document:recent', [])).body).value).toEqual([
      { path: value.path, name: 'My net-x' },
    ]);
    expect(JSON.parse((await post('document:last', [])).body).value).toEqual({
      path: value.path,
      name: 'My net-x',
      text: '{"a":1}',
    });
    await post('recovery:write', ['unsaved work', 'd-1']);
    expect(JSON.parse((await post('recovery:read', [])).body).value).toMatchObject({
      text: 'unsaved work',
      draft: 'd-1',
    });
    await post('recovery:clear', []);
    expect(JSON.parse((await post('recovery:read', [])).body).value).toBeNull();
  });

  it('refuses a path it did not offer with 403, and a vanished document with 404, never 500', async () => {
    const outside = join(dir, 'elsewhere.txt');
    const write = await post('document:save', [{ path: outside, suggestedName: 'x', text: 'owned' }]);
    expect(write.status).toBe(403);
    expect(JSON.parse(write.body).error).toMatch(/not among the documents Blockwise offered/);
    expect(existsSync(outside)).toBe(false);
    expect((await post('document:open', [join(dir, 'secret.txt')])).status).toBe(403);
    const saved = await post('document:save', [{ path: null, suggestedName: 'Gone', text: '{}' }]);
    const { path } = JSON.parse(saved.body).value as { path: string };
    rmSync(path);
    const missing = await post('document:open', [path]);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toMatch(/does not exist/);
  });

  it('keeps a run whose body streams to disk: long text and base64 read back exact, other names and bad base64 refused', async () => {
    const weights = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256);
    // Over 64 KiB, with escapes and non-ASCII: read back through JSON, not as raw bytes.
    const record = JSON.stringify({ note: 'é "quoted"\n'.repeat(8000) });
    const files = {
      'run.json': { text: record },
      'model.json': { text: '{}' },
      'weights.bin': { base64: Buffer.from(weights).toString('base64') },
      'checkpoint.bin': { base64: '' },
      'graph.blockwise.json': { text: '{}' },
    };
    const saved = await post('run:save', [
      { documentPath: null, draft: 'd-1', files: { ...files, '../x': { text: 'no' } } },
    ]);
    expect([saved.status, saved.body]).toEqual([200, expect.anything()]);
    const { path } = (JSON.parse(saved.body) as { value: { path: string } }).value;
    expect(new Uint8Array(readFileSync(join(path, 'weights.bin')))).toEqual(weights);
    expect(readFileSync(join(path, 'run.json'), 'utf8')).toBe(record);
    expect(existsSync(join(path, '..', 'x'))).toBe(false);
    const bad = { ...files, 'weights.bin': { base64: `${'A'.repeat(100_000)}!AAA` } };
    const refused = await post('run:save', [{ documentPath: null, draft: 'd-1', files: bad }]);
    expect([refused.status, JSON.parse(refused.body)]).toEqual([
      400,
      { ok: false, error: 'bad payload for run:save: weights.bin must be base64' },
    ]);
    const cut = await call('/api/run:save', {
      method: 'POST',
      headers: withToken(),
      body: '{"args":[{"x":"ab',
    });
    expect(cut.status).toBe(400);
  });
});
