import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { designerPayloads } from '../../shared/api/designer-api.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetCatalogue } from '../services/dataset-catalogue.ts';
import { nodeFileSystem } from '../services/file-system.ts';
import { DocumentService } from './document-service.ts';
import type { RunSummary } from '../../shared/api/designer-api.ts';
import { sampleRunRecord } from '../../shared/train/sample-run-record.ts';

const PNG_1x1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function service() {
  const dir = mkdtempSync(join(tmpdir(), 'bw-docs-'));
  const folders = { documents: join(dir, 'docs'), data: join(dir, 'data') };
  const datasets = new DatasetCatalogue(nodeFileSystem, { addedList: join(folders.data, 'datasets.json') });
  return { dir, folders, api: new DocumentService(nodeFileSystem, folders, undefined, datasets) };
}

/** The files of a kept run, as the app sends them: a whole record, and empty weights. */
const keptRunFiles = () => ({
  'run.json': { text: JSON.stringify(sampleRunRecord()) },
  'model.json': { text: '{}' },
  'weights.bin': { base64: '' },
  'checkpoint.bin': { base64: '' },
  'graph.blockwise.json': { text: '{}' },
});

/** A new document saved under a name: its path. */
async function saveNew(api: DocumentService, name: string, text: string): Promise<string> {
  const saved = await api.saveDocument({ path: null, suggestedName: name, text });
  if (saved.status !== 'saved') throw new Error(`not saved: ${saved.status}`);
  return saved.path;
}

describe('DocumentService', () => {
  it('adds a dataset folder the user typed (browser mode) only from their home, never a hidden one', async () => {
    // The documents folder is ~/Blockwise: its parent stands for the home folder.
    const { api, dir } = service();
    const digits = join(dir, 'data-sets', 'digits');
    for (const part of ['train', 'test'])
      for (const c of ['a', 'b']) {
        mkdirSync(join(digits, part, c), { recursive: true });
        writeFileSync(join(digits, part, c, '1.png'), Buffer.from(PNG_1x1, 'base64'));
      }
    mkdirSync(join(dir, '.ssh'));
    const outside = mkdtempSync(join(tmpdir(), 'bw-elsewhere-'));
    symlinkSync(outside, join(dir, 'link-out'));
    expect(await api.addDataset(digits)).toMatchObject({ id: 'digits', classes: ['a', 'b'], train: 2 });
    await expect(api.addDataset(join(dir, '.ssh'))).rejects.toThrow(/only from folders in .* not hidden/);
    await expect(api.addDataset(outside)).rejects.toThrow(/only from folders in/);
    await expect(api.addDataset(join(dir, 'link-out'))).rejects.toThrow(/only from folders in/);
    await expect(api.addDataset('/etc')).rejects.toThrow(/only from folders in/);
    // A missing folder gets the same answer as one out of bounds: the page learns nothing of which paths exist.
    const answer = async (path: string) =>
      api.addDataset(path).catch((e: Error) => e.message.replace(path, 'P'));
    expect(await answer('/etc/nothing-here')).toBe(await answer('/etc'));
    expect(await answer(join(dir, 'missing'))).toBe(await answer(join(dir, '.ssh')));
    await expect(api.addDataset(null)).rejects.toThrow(/type the path/);
    expect((await api.listDatasets()).map((d) => d.id)).toEqual(['fashion-mnist', 'digits']);
  });

  it('saving over a document keeps its previous version as .bak', async () => {
    const { api } = service();
    const path = await saveNew(api, 'Net', 'one');
    await api.saveDocument({ path, suggestedName: 'Net', text: 'two' });
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('one');
    await saveNew(api, 'Net copy', 'two');
    expect((await api.recentDocuments()).map((d) => d.name)).toEqual(['Net copy', 'Net']);
  });

  it('save as never replaces an existing document unless the user said so', async () => {
    const { api } = service();
    const path = await saveNew(api, 'Net', 'first');
    expect(await api.saveDocument({ path: null, suggestedName: 'Net', text: 'second' })).toEqual({
      status: 'exists',
      name: 'Net',
    });
    expect(readFileSync(path, 'utf8')).toBe('first');
    await api.saveDocument({ path: null, suggestedName: 'Net', text: 'second', replace: true });
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('first');
  });

  it('writes only where it chose or offered: no path of the page’s own, no .bak trick', async () => {
    const { api, dir } = service();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'private');
    await expect(api.saveDocument({ path: victim, suggestedName: 'x', text: 'owned' })).rejects.toThrow(
      /not among the documents Blockwise offered/,
    );
    await expect(api.saveDocument({ path: `${victim}.bak`, suggestedName: 'x', text: '' })).rejects.toThrow(
      /not among/,
    );
    await expect(api.openDocument(victim)).rejects.toThrow(/not among/);
    expect(readFileSync(victim, 'utf8')).toBe('private');
    expect(readdirSync(dir).sort()).toEqual(['victim.txt']);
  });

  it('does not offer a symbolic link that leads out of the documents folder', async () => {
    const { api, dir, folders } = service();
    const outside = join(dir, 'outside.blockwise.json');
    writeFileSync(outside, 'secret');
    mkdirSync(folders.documents);
    symlinkSync(outside, join(folders.documents, 'Link.blockwise.json'));
    const inside = await saveNew(api, 'Real', '{}');
    symlinkSync(inside, join(folders.documents, 'Alias.blockwise.json'));
    expect((await api.recentDocuments()).map((d) => d.name).sort()).toEqual(['Alias', 'Real']);
    const link = join(folders.documents, 'Link.blockwise.json');
    await expect(api.openDocument(link)).rejects.toThrow(/not among/);
    await expect(api.saveDocument({ path: link, suggestedName: 'Link', text: 'x' })).rejects.toThrow(
      /not among/,
    );
    expect(readFileSync(outside, 'utf8')).toBe('secret');
  });

  it('keeps a document’s permissions when it saves over it, in the .bak too', async () => {
    const { api } = service();
    const path = await saveNew(api, 'Private', 'one');
    chmodSync(path, 0o600);
    await api.saveDocument({ path, suggestedName: 'Private', text: 'two' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}.bak`).mode & 0o777).toBe(0o600);
  });

  it('two saves of one path in flight leave one whole version and no temporary file, every time', async () => {
    const { api, folders } = service();
    const path = await saveNew(api, 'Race', 'v0');
    const big = (tag: string) => tag.repeat(200_000);
    for (let round = 0; round < 30; round++) {
      const [a, b] = [big(`a${round}`), big(`b${round}`)];
      const answers = await Promise.all([
        api.saveDocument({ path, suggestedName: 'Race', text: a }),
        api.saveDocument({ path, suggestedName: 'Race', text: b }),
      ]);
      expect(answers.map((x) => x.status)).toEqual(['saved', 'saved']);
      // Saves of one path run whole in the order they were asked for: the later one wins, whole.
      expect(readFileSync(path, 'utf8') === b).toBe(true);
      expect(readFileSync(`${path}.bak`, 'utf8') === a).toBe(true);
    }
    expect(readdirSync(folders.documents).sort()).toEqual(['Race.blockwise.json', 'Race.blockwise.json.bak']);
  });

  it('recovery writes racing each other keep the latest work', async () => {
    const { api } = service();
    for (let round = 0; round < 30; round++) {
      await Promise.all(
        Array.from({ length: 4 }, (_, i) => api.writeRecovery(`work ${round}.${i}`, 'd-race')),
      );
      expect((await api.readRecovery())?.text).toBe(`work ${round}.3`);
    }
  });

  it('saves, backs up and keeps runs for names up to 255 characters in any script, each its own file', async () => {
    const { api, folders } = service();
    const run = keptRunFiles();
    // 255 characters (ENAMETOOLONG from 228 on), 255 two-byte ones, and two names only their script tells apart.
    for (const name of ['x'.repeat(255), 'é'.repeat(255), '模型 一', '模型 二', 'Сеть', 'نموذج']) {
      const path = await saveNew(api, name, 'first');
      await api.saveDocument({ path, suggestedName: name, text: 'second' });
      expect(readFileSync(`${path}.bak`, 'utf8')).toBe('first');
      await api.saveRun({ documentPath: path, draft: 'd-1', files: run });
    }
    const names = readdirSync(folders.documents).filter((f) => f.endsWith('.blockwise.json'));
    expect(names).toHaveLength(6);
    expect(names).toEqual(
      expect.arrayContaining(['模型 一.blockwise.json', '模型 二.blockwise.json', 'Сеть.blockwise.json']),
    );
    for (const f of readdirSync(folders.documents)) expect(Buffer.byteLength(f)).toBeLessThanOrEqual(255);
  });

  it('replacing another document by Save as sets its runs aside: the new design does not take them', async () => {
    const { api, folders } = service();
    const files = keptRunFiles();
    const old = await saveNew(api, 'A', 'old design');
    await api.saveRun({ documentPath: old, draft: 'd-1', files });
    const other = await saveNew(api, 'B', 'other design');
    const replaced = await api.saveDocument({
      path: null,
      suggestedName: 'A',
      text: 'B as A',
      replace: true,
      from: other,
    });
    expect(replaced).toMatchObject({ status: 'saved', path: old });
    expect(await api.listRuns(old, 'd-1')).toEqual([]);
    const aside = readdirSync(folders.documents).filter((f) => f.startsWith('A.runs.bak-'));
    expect(aside).toHaveLength(1);
    expect(readdirSync(join(folders.documents, aside[0]!))).toHaveLength(1);
    // Saving a document as itself keeps its runs.
    await api.saveRun({ documentPath: old, draft: 'd-1', files });
    await api.saveDocument({ path: null, suggestedName: 'A', text: 'again', replace: true, from: old });
    expect(await api.listRuns(old, 'd-1')).toHaveLength(1);
  });

  it('keeps the runs of unsaved documents apart, even of one name, and moves them beside the first save', async () => {
    const { api, folders } = service();
    const files = keptRunFiles();
    // Two new "LeNet"s, never saved: each lists its own runs only (the second listed the first's).
    const first = await api.saveRun({ documentPath: null, draft: 'd-first', files });
    expect(await api.listRuns(null, 'd-first')).toHaveLength(1);
    expect(await api.listRuns(null, 'd-second')).toEqual([]);
    expect(existsSync(folders.documents)).toBe(false);
    // The first one's Save as takes its runs along: listed beside it, gone from the draft.
    const saved = await api.saveDocument({ path: null, suggestedName: 'LeNet', text: 'x', draft: 'd-first' });
    expect(saved.status).toBe('saved');
    const path = (saved as { path: string }).path;
    expect((await api.listRuns(path, 'd-first')).map((r) => r.id)).toEqual([first.id]);
    expect(readFileSync(join(folders.documents, 'LeNet.runs', first.id, 'run.json'), 'utf8')).toBe(
      files['run.json'].text,
    );
    expect(await api.listRuns(null, 'd-first')).toEqual([]);
    // A draft key is a name, never a path: both transports refuse one before the service sees it.
    expect(designerPayloads.listRuns.safeParse([null, '../../etc']).success).toBe(false);
    expect(designerPayloads.listRuns.safeParse([null, 'd-first']).success).toBe(true);
  });

  it('follows no link planted in its folders: a recent document, a runs folder, a run, a run file, a hard link', async () => {
    const { api, folders } = service();
    const outside = mkdtempSync(join(tmpdir(), 'bw-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'not yours');
    const refused = /is a link; Blockwise follows no links/;
    // A recent document replaced by a link: not opened, not backed up (its target was copied into .bak).
    const net = await saveNew(api, 'Net', 'mine');
    rmSync(net);
    symlinkSync(join(outside, 'secret.txt'), net);
    await expect(api.openDocument(net)).rejects.toThrow(refused);
    await expect(api.saveDocument({ path: net, suggestedName: 'Net', text: 'x' })).rejects.toThrow(refused);
    expect(existsSync(`${net}.bak`) && readFileSync(`${net}.bak`, 'utf8')).not.toBe('not yours');
    // A runs folder that is a link: nothing is written through it.
    const doc = await saveNew(api, 'Doc', 'mine');
    symlinkSync(outside, join(folders.documents, 'Doc.runs'));
    await expect(api.saveRun({ documentPath: doc, draft: 'd-1', files: keptRunFiles() })).rejects.toThrow(
      refused,
    );
    expect(readdirSync(outside)).toEqual(['secret.txt']);
    // A run folder, a run file, or a hard link to a file elsewhere: not read.
    const other = await saveNew(api, 'Other', 'mine');
    const runs = join(folders.documents, 'Other.runs');
    const kept = await api.saveRun({ documentPath: other, draft: 'd-1', files: keptRunFiles() });
    mkdirSync(join(outside, 'run'));
    writeFileSync(join(outside, 'run', 'run.json'), JSON.stringify(sampleRunRecord()));
    symlinkSync(join(outside, 'run'), join(runs, 'linked'));
    const read = (runId: string, file: 'run.json' | 'model.json') =>
      api.readRunFile({ documentPath: other, draft: 'd-1', runId, file });
    await expect(read('linked', 'run.json')).rejects.toThrow(refused);
    rmSync(join(kept.path, 'model.json'));
    symlinkSync(join(outside, 'secret.txt'), join(kept.path, 'model.json'));
    await expect(read(kept.id, 'model.json')).rejects.toThrow(refused);
    rmSync(join(kept.path, 'model.json'));
    linkSync(join(outside, 'secret.txt'), join(kept.path, 'model.json'));
    await expect(read(kept.id, 'model.json')).rejects.toThrow(refused);
    // Listed: a linked run folder is not a run; a run whose run.json is a link says so.
    mkdirSync(join(runs, 'pointing'));
    symlinkSync(join(outside, 'run', 'run.json'), join(runs, 'pointing', 'run.json'));
    const listed = await api.listRuns(other, 'Other');
    expect(listed.map((r) => r.id)).not.toContain('linked');
    expect(listed.find((r) => r.id === 'pointing')).toMatchObject({
      problem: expect.stringMatching(refused),
    });
  });

  it('lists a run whose run.json is newer, edited by hand or not JSON with the reason, never half-read', async () => {
    const { api, folders } = service();
    const path = await saveNew(api, 'Net', '{}');
    const runs = join(folders.documents, 'Net.runs');
    const keep = (id: string, text: string) => {
      mkdirSync(join(runs, id), { recursive: true });
      writeFileSync(join(runs, id, 'run.json'), text);
    };
    keep('a-good', JSON.stringify(sampleRunRecord()));
    keep('b-newer', JSON.stringify({ ...sampleRunRecord(), formatVersion: 2 }));
    keep('c-edited', JSON.stringify({ ...sampleRunRecord(), test: { accuracy: 'high' } }));
    keep('d-cut', JSON.stringify(sampleRunRecord()).slice(0, 40));
    mkdirSync(join(runs, 'e-no-run-json'));
    const listed = await api.listRuns(path, 'Net');
    expect(listed.map((r) => ('record' in r ? [r.id, r.record.test.accuracy] : [r.id, r.problem]))).toEqual([
      ['a-good', 0.5],
      [
        'b-newer',
        expect.stringMatching(/newer Blockwise \(run format 2; this one reads 1\): update Blockwise/),
      ],
      ['c-edited', expect.stringMatching(/its test\.loss is not valid .*edited by hand/)],
      ['d-cut', 'it is not JSON: was it cut short, or edited by hand?'],
    ]);
  });

  it('keeps runs beside their document in the CLI’s folder format, and lists them', async () => {
    const { api, folders } = service();
    const path = await saveNew(api, 'Net', '{}');
    const files = {
      'run.json': { text: JSON.stringify(sampleRunRecord({ stoppedBy: 'user' })) },
      'model.json': { text: '{}' },
      'weights.bin': { base64: Buffer.from([1, 2, 3]).toString('base64') },
      'checkpoint.bin': { base64: '' },
      'graph.blockwise.json': { text: '{}' },
    };
    const saved = await api.saveRun({ documentPath: path, draft: 'd-1', files });
    expect(saved.path).toBe(join(folders.documents, 'Net.runs', saved.id));
    expect([...readFileSync(join(saved.path, 'weights.bin'))]).toEqual([1, 2, 3]);
    const again = await api.saveRun({ documentPath: path, draft: 'd-1', files });
    expect(again.id).not.toBe(saved.id);
    const outcome = (r: RunSummary) => ('record' in r ? r.record.stoppedBy : r.problem);
    expect((await api.listRuns(path, 'Net')).map((r) => [r.id, outcome(r)])).toEqual([
      [saved.id, 'user'],
      [again.id, 'user'],
    ]);
    expect(await api.listRuns(null, 'Other')).toEqual([]);
    const read = (file: 'weights.bin' | 'run.json') =>
      api.readRunFile({ documentPath: path, draft: 'd-1', runId: saved.id, file });
    expect(await read('weights.bin')).toEqual({ base64: Buffer.from([1, 2, 3]).toString('base64') });
    expect(await read('run.json')).toEqual(files['run.json']);
    await expect(api.listRuns('/etc/passwd', 'x')).rejects.toThrow(/not among the documents/);
    await expect(api.saveRun({ documentPath: '/tmp/x.blockwise.json', draft: 'd-1', files })).rejects.toThrow(
      /not among the documents/,
    );
  });

  it('exports SVG text, PNG and ZIP bytes, and refuses binary data that is not a base64 data URL', async () => {
    const { api, folders } = service();
    const svg = await api.exportFile({ suggestedName: 'VGG-11', format: 'svg', data: '<svg/>' });
    expect(svg).toEqual({ path: join(folders.documents, 'VGG-11.svg') });
    expect(readFileSync(svg!.path, 'utf8')).toBe('<svg/>');
    const png = await api.exportFile({
      suggestedName: 'VGG-11',
      format: 'png',
      data: `data:image/png;base64,${PNG_1x1}`,
    });
    expect([...readFileSync(png!.path).subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    await expect(
      api.exportFile({ suggestedName: 'x', format: 'png', data: 'data:text/html,<b>hi</b>' }),
    ).rejects.toThrow(/the PNG export is not a base64 image\/png data URL/);
    const zipBytes = Uint8Array.from([0x50, 0x4b, 5, 6, ...new Array<number>(18).fill(0)]);
    const zip = await api.exportFile({
      suggestedName: 'LeNet PyTorch',
      format: 'zip',
      data: `data:application/zip;base64,${Buffer.from(zipBytes).toString('base64')}`,
    });
    expect(zip).toEqual({ path: join(folders.documents, 'LeNet PyTorch.zip') });
    expect(new Uint8Array(readFileSync(zip!.path))).toEqual(zipBytes);
    await expect(
      api.exportFile({ suggestedName: 'x', format: 'zip', data: `data:image/png;base64,${PNG_1x1}` }),
    ).rejects.toThrow(/the ZIP export is not a base64 application\/zip data URL/);
  });

  it('remembers recent documents across launches, and ignores a damaged list', async () => {
    const { api, folders } = service();
    const path = await saveNew(api, 'Kept', '{}');
    const again = new DocumentService(nodeFileSystem, folders);
    expect(await again.recentDocuments()).toEqual([{ path, name: 'Kept' }]);
    await nodeFileSystem.writeBytes(join(folders.data, 'recent.json'), '[{"path": 5}]');
    expect(await new DocumentService(nodeFileSystem, folders).recentDocuments()).toEqual([
      { path, name: 'Kept' },
    ]);
    expect((await new DocumentService(nodeFileSystem, folders).openDocument(path))?.text).toBe('{}');
  });

  it('reopens the document last opened or saved at the next launch, while it still exists', async () => {
    const { api, folders } = service();
    expect(await api.lastDocument()).toBeNull();
    const first = await saveNew(api, 'First', '{"n":1}');
    await saveNew(api, 'Second', '{"n":2}');
    await api.openDocument(first);
    const launch = () => new DocumentService(nodeFileSystem, folders);
    expect(await launch().lastDocument()).toEqual({ path: first, name: 'First', text: '{"n":1}' });
    // Gone since: nothing to reopen (not the one before it: the user did not leave off there).
    rmSync(first);
    expect(await launch().lastDocument()).toBeNull();
    // Replaced by a link: refused, as opening it by path is.
    symlinkSync(join(folders.documents, 'Second.blockwise.json'), first);
    await expect(launch().lastDocument()).rejects.toThrow(/is a link; Blockwise follows no links/);
  });

  it('clearing recovery before anything was written is not an error', async () => {
    const { api } = service();
    await expect(api.clearRecovery()).resolves.toBeUndefined();
    await api.writeRecovery('work', 'd-1');
    await api.clearRecovery();
    expect(await api.readRecovery()).toBeNull();
  });
});
