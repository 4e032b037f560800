import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserHost } from '../main/host/browser-host.ts';
import { DocumentService } from '../main/host/document-service.ts';
import { nodeFileSystem } from '../main/services/file-system.ts';
import { report } from './bench-report.ts';

// `npm run bench:run-save`: the browser host's memory while three run:save bodies of 190 MB (a run's
// weights and checkpoint in base64, as the page sends them) arrive at once, with the body read into
// memory (as before) and streamed to disk. Each way runs in its own process, so one's heap does not
// count against the other: resident memory before the bodies and its peak while they are kept.

const BODY_MB = 190;
const CONCURRENT = 3;
const modes = { 'in memory': false, 'streamed to disk': true } as const;
type Mode = keyof typeof modes;

/** A run:save body of about `mb` MB, written a piece at a time (the bench's own memory stays small). */
function writeBody(path: string, mb: number): void {
  const head = `{"args":[{"documentPath":null,"draft":"d-1","files":{"run.json":{"text":"{}"},"model.json":{"text":"{}"},"graph.blockwise.json":{"text":"{}"},"checkpoint.bin":{"base64":""},"weights.bin":{"base64":"`;
  writeFileSync(path, head);
  const piece = Buffer.from(Uint8Array.from({ length: 3 << 20 }, (_, i) => (i * 2654435761) >>> 24)).toString(
    'base64',
  );
  for (let written = 0; written < mb * 2 ** 20; written += piece.length) appendFileSync(path, piece);
  appendFileSync(path, '"}}}]}');
}

function send(url: string, token: string, body: string): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/run:save',
        method: 'POST',
        headers: {
          host: `127.0.0.1:${port}`,
          'x-blockwise-token': token,
          'content-type': 'application/json',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    createReadStream(body).pipe(req);
  });
}

/** One way, in this process: RSS before and at its peak (sampled every 20 ms), and the answers. */
async function measure(streamed: boolean): Promise<Record<string, string | number>> {
  const dir = mkdtempSync(join(tmpdir(), 'bw-run-save-bench-'));
  try {
    const body = join(dir, 'body.json');
    writeBody(body, BODY_MB);
    const api = new DocumentService(nodeFileSystem, {
      documents: join(dir, 'docs'),
      data: join(dir, 'data'),
    });
    const host = await startBrowserHost({
      root: dir,
      api,
      fs: nodeFileSystem,
      ...(streamed ? { runs: api } : {}),
    });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: CONCURRENT }, () => send(host.url, host.token, body)),
    );
    clearInterval(sampler);
    await host.close();
    return {
      'body MB': Math.round(statSync(body).size / 2 ** 20),
      bodies: CONCURRENT,
      statuses: statuses.join(' '),
      'RSS before MB': Math.round(before / 2 ** 20),
      'RSS peak MB': Math.round(peak / 2 ** 20),
      s: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const asked = process.argv[2] as Mode | undefined;
if (asked) {
  console.log(JSON.stringify(await measure(modes[asked])));
} else {
  const self = fileURLToPath(import.meta.url);
  const rows = (Object.keys(modes) as Mode[]).map((mode) => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, mode], { encoding: 'utf8' });
    return {
      'run:save body': mode,
      ...(JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, string | number>),
    };
  });
  report('run-save-memory', rows);
}
