import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  designerChannels,
  MAX_STATE_DICT_CHARS,
  stateDictRequestSchema,
  type ConvertedStateDict,
} from '../../shared/api/designer-api.ts';
import { readStateDictFiles } from '../../shared/export/pytorch/state-dict-files.ts';
import { handleIpcCall } from '../electron/ipc-gateway.ts';
import { runPython, TORCH_MISSING } from '../export/python-runner.ts';
import { nodeFileSystem } from '../services/file-system.ts';
import { startBrowserHost, type BrowserHost } from './browser-host.ts';
import { DocumentService } from './document-service.ts';

const channel = designerChannels.convertStateDict;
let dir: string;
let api: DocumentService;
let host: BrowserHost;
/** A real .pth, saved by PyTorch: a Linear's state_dict (2×3 weight, 2 biases). */
let pth: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bw-statedict-'));
  api = new DocumentService(nodeFileSystem, { documents: join(dir, 'docs'), data: join(dir, 'data') });
  host = await startBrowserHost({ root: dir, api, fs: nodeFileSystem });
  const save = `import torch; torch.save({"fc.weight": torch.arange(6.).reshape(2, 3), "fc.bias": torch.tensor([0.5, -1.0])}, ${JSON.stringify(join(dir, 'small.pth'))})`;
  await runPython(['-c', save]);
  pth = readFileSync(join(dir, 'small.pth')).toString('base64');
});
afterAll(() => host.close());
afterEach(() => delete process.env['BLOCKWISE_PYTHON']);

/** A call over the browser host's HTTP, as the page makes it. */
async function post(args: unknown): Promise<{ status: number; reply: { value?: unknown; error?: string } }> {
  const res = await fetch(new URL(`/api/${channel}`, host.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-blockwise-token': host.token },
    body: JSON.stringify({ args }),
  });
  return { status: res.status, reply: (await res.json()) as { value?: unknown; error?: string } };
}

/** A call over Electron's IPC gateway, from our own window. */
const invoke = (args: unknown[]) =>
  handleIpcCall({ api, isOwnFrame: () => true }, channel, { senderFrame: null }, args);

/** The tensors of a converted state_dict, by name. */
function tensors(converted: ConvertedStateDict) {
  const entries = readStateDictFiles(
    converted.index,
    new Uint8Array(Buffer.from(converted.base64, 'base64')),
  );
  if (!entries.ok) throw new Error(entries.error);
  return Object.fromEntries(entries.value.map((e) => [e.name, { shape: e.shape, values: [...e.values] }]));
}

describe('statedict:convert, a .pth the page picked, read by PyTorch on the host', () => {
  it('answers its index and float32 values over HTTP and IPC alike, and leaves no temporary file', async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('blockwise-pth-')).length;
    const http = await post([{ fileName: 'small.pth', base64: pth }]);
    expect(http.status).toBe(200);
    expect(tensors(http.reply.value as ConvertedStateDict)).toEqual({
      'fc.weight': { shape: [2, 3], values: [0, 1, 2, 3, 4, 5] },
      'fc.bias': { shape: [2], values: [0.5, -1] },
    });
    const ipc = await invoke([{ fileName: 'small.PT', base64: pth }]);
    expect(ipc.ok && ipc.value).toEqual(http.reply.value);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('blockwise-pth-')).length).toBe(before);
  });

  it('refuses a payload that is not a named .pth in base64, on both transports, before any conversion', async () => {
    const bad = [
      [{ fileName: 'model.json', base64: pth }, 'must name a .pth or .pt file'],
      [{ fileName: 'x.pth', base64: 'not base64!' }, 'must be base64'],
      [{ fileName: 'x.pth', base64: '' }, 'must not be empty'],
      [{ fileName: 'x.pth', path: '/etc/passwd' }, 'Invalid input: expected string, received undefined'],
    ] as const;
    for (const [request, message] of bad) {
      const refusal = `bad payload for ${channel}: ${message}`;
      expect(await post([request])).toEqual({ status: 400, reply: { ok: false, error: refusal } });
      expect(await invoke([request])).toEqual({ ok: false, reason: 'badPayload', error: refusal });
    }
  });

  it('refuses more than the size allowed, as a schema and as an IPC payload', async () => {
    const huge = 'A'.repeat(MAX_STATE_DICT_CHARS + 2048);
    const parsed = stateDictRequestSchema.safeParse({ fileName: 'big.pth', base64: huge });
    expect(parsed.success ? '' : parsed.error.issues[0]?.message).toBe('is too large');
    expect(await invoke([{ fileName: 'big.pth', base64: huge }])).toMatchObject({
      ok: false,
      reason: 'tooLarge',
    });
  });

  it('answers one sentence when the file is not a state_dict, or when PyTorch is missing', async () => {
    const junk = Buffer.from('not a pickle at all').toString('base64');
    const damaged = await post([{ fileName: 'junk.pth', base64: junk }]);
    expect(damaged.status).toBe(500);
    expect(damaged.reply.error).toMatch(
      /^junk\.pth was not read: it is not a PyTorch state_dict that loads with weights_only=True \(.*\)$/,
    );
    process.env['BLOCKWISE_PYTHON'] = join(dir, 'no-python-here');
    const noTorch = await post([{ fileName: 'small.pth', base64: pth }]);
    expect(noTorch.reply.error).toBe(`small.pth was not read: ${TORCH_MISSING}`);
  });
});
