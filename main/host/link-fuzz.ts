import { execFileSync } from 'node:child_process';
import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleRunRecord } from '../../shared/train/sample-run-record.ts';
import { nodeFileSystem } from '../services/file-system.ts';
import { DocumentService } from './document-service.ts';

/**
 * Links planted in the folders a host keeps (a recent document, a document's runs folder, a run folder, a
 * run file, a run's run.json), of every kind (a symbolic link to a file or folder outside, a hard link to
 * a file outside, a link to a pipe, to nothing, to itself), then the page's calls that use the place. Each
 * call must refuse, or list the run with its problem: never read or write outside, never hang. Used by the
 * document service's test and `npm run fuzz`.
 */

const SECRET = 'not yours';
const PLACES = ['recent document', 'runs folder', 'run folder', 'run file', 'run.json'] as const;
const KINDS = [
  'symbolic link out',
  'hard link out',
  'link to a pipe',
  'link to nothing',
  'link to itself',
] as const;

export type LinkCase = { place: (typeof PLACES)[number]; kind: (typeof KINDS)[number] };

/** Every place with every kind. */
export const LINK_CASES = PLACES.length * KINDS.length;

/** The case numbered `n` (modulo LINK_CASES): every place with every kind, in turn. */
export function linkCase(n: number): LinkCase {
  return { place: PLACES[n % PLACES.length]!, kind: KINDS[Math.floor(n / PLACES.length) % KINDS.length]! };
}

const runFiles = () => ({
  'run.json': { text: JSON.stringify(sampleRunRecord()) },
  'model.json': { text: '{}' },
  'weights.bin': { base64: '' },
  'checkpoint.bin': { base64: '' },
  'graph.blockwise.json': { text: '{}' },
});

/**
 * Replaces `path` with a link of the kind, to a file outside (a folder outside, for a folder's place). A
 * folder cannot be hard-linked: for a folder's place that kind links its run.json (`inner`) instead.
 */
function plantLink(path: string, kind: LinkCase['kind'], outside: string, inner?: string): void {
  const secret = join(outside, 'secret.txt');
  if (kind === 'hard link out') {
    rmSync(inner ?? path);
    return linkSync(secret, inner ?? path);
  }
  rmSync(path, { recursive: true, force: true });
  const target = {
    'symbolic link out': inner ? join(outside, 'folder') : secret,
    'link to a pipe': join(outside, 'pipe'),
    'link to nothing': join(outside, 'nothing'),
    'link to itself': path,
  }[kind];
  symlinkSync(target, path);
}

/**
 * Plants the case in fresh folders and makes the calls that use its place. Resolves to how the host
 * answered each ('refused' or 'listed with its problem'); throws when a call read the secret, wrote
 * outside, or answered nothing in words.
 */
export async function runLinkCase(c: LinkCase): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bw-link-fuzz-'));
  try {
    const outside = join(dir, 'outside');
    mkdirSync(join(outside, 'folder'), { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), SECRET);
    writeFileSync(join(outside, 'folder', 'run.json'), SECRET);
    execFileSync('mkfifo', [join(outside, 'pipe')]);
    const folders = { documents: join(dir, 'docs'), data: join(dir, 'data') };
    const api = new DocumentService(nodeFileSystem, folders);
    const saved = await api.saveDocument({ path: null, suggestedName: 'Net', text: '{}' });
    if (saved.status !== 'saved') throw new Error(`the document was not saved: ${saved.status}`);
    const doc = saved.path;
    const run = await api.saveRun({ documentPath: doc, draft: 'd-1', files: runFiles() });
    const runs = join(folders.documents, 'Net.runs');
    const before = listing(outside);
    const answers = await callsAt(c, api, { doc, runs, run: run.path, runId: run.id, outside });
    if (listing(outside) !== before) throw new Error('a call wrote outside the folders the host keeps');
    return answers;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The folder's entries and their contents, to tell whether anything changed in it. */
function listing(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => (e.isFile() ? `${e.name}=${readFileSync(join(e.parentPath, e.name), 'utf8')}` : e.name))
    .sort()
    .join('\n');
}

async function callsAt(
  c: LinkCase,
  api: DocumentService,
  at: { doc: string; runs: string; run: string; runId: string; outside: string },
): Promise<string[]> {
  const readRun = (runId: string, file: 'run.json' | 'model.json') =>
    api.readRunFile({ documentPath: at.doc, draft: 'd-1', runId, file });
  const calls: (() => Promise<unknown>)[] = [];
  if (c.place === 'recent document') {
    plantLink(at.doc, c.kind, at.outside);
    calls.push(
      () => api.openDocument(at.doc),
      () => api.saveDocument({ path: at.doc, suggestedName: 'Net', text: 'x' }),
    );
  } else if (c.place === 'runs folder') {
    plantLink(at.runs, c.kind, at.outside, join(at.run, 'run.json'));
    // A runs folder with a hard-linked file in it is still the host's own: a new run may be kept there.
    if (c.kind !== 'hard link out')
      calls.push(() => api.saveRun({ documentPath: at.doc, draft: 'd-1', files: runFiles() }));
    calls.push(
      () => readRun(at.runId, 'run.json'),
      () => listedProblem(api, at.doc),
    );
  } else if (c.place === 'run folder') {
    plantLink(at.run, c.kind, at.outside, join(at.run, 'run.json'));
    calls.push(
      () => readRun(at.runId, 'run.json'),
      () => listedProblem(api, at.doc),
    );
  } else {
    const file = c.place === 'run file' ? 'model.json' : 'run.json';
    plantLink(join(at.run, file), c.kind, at.outside);
    calls.push(() => readRun(at.runId, file));
    if (file === 'run.json') calls.push(() => listedProblem(api, at.doc));
  }
  const answers = [];
  for (const call of calls) answers.push(await answerOf(call));
  return answers;
}

/** What the listing says of the run: nothing (not a run), or its problem. Throws if it read the secret. */
async function listedProblem(api: DocumentService, doc: string): Promise<string> {
  const listed = await api.listRuns(doc, 'd-1');
  if (listed.some((r) => 'record' in r && JSON.stringify(r).includes(SECRET)))
    throw new Error('listRuns read a file outside');
  return (
    listed.map((r) => ('problem' in r ? 'listed with its problem' : 'listed')).join(', ') || 'not listed'
  );
}

/** 'refused' with a message, or the answer; throws when a call returned the secret or failed without words. */
async function answerOf(call: () => Promise<unknown>): Promise<string> {
  const answer = await call().then(
    (value) => ({ value }),
    (e: Error) => ({ refusal: e.message }),
  );
  if ('refusal' in answer) {
    if (!/link|not among|does not exist/.test(answer.refusal))
      throw new Error(`refused without saying why: ${answer.refusal}`);
    return 'refused';
  }
  const text = JSON.stringify(answer.value ?? null);
  // A run file comes back as text or in base64.
  if (text.includes(SECRET) || text.includes(Buffer.from(SECRET).toString('base64')))
    throw new Error(`a call returned a file outside: ${text}`);
  return typeof answer.value === 'string' ? answer.value : 'answered';
}
