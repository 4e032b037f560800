import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badDatasets, type PlantedDataset } from '../../shared/fuzz/dataset-fuzz.ts';
import { DatasetCatalogue, parseDatasetSpec } from '../services/dataset-catalogue.ts';
import { nodeFileSystem } from '../services/file-system.ts';
import { plantDataset } from '../services/planted-folder.ts';
import { blamedPrefix, cliDataset, cliSpec } from './bad-dataset-check.ts';
import { startBrowserHost, type BrowserHost } from './browser-host.ts';
import { composeHostServices } from './host-services.ts';

/**
 * Every generated bad dataset (shared/fuzz/dataset-fuzz.ts), through the CLI's reading and the browser
 * host's dataset:add and dataset:list: each is refused with an error that begins with the file at fault,
 * never accepted, never a 500; a dataset that must load loads. A reader that hangs (a named pipe) fails the
 * test by its timeout.
 */
const home = realpathSync(mkdtempSync(join(tmpdir(), 'bw-bad-datasets-')));
const cases = badDatasets().map((dataset, i) => ({ dataset, dir: join(home, `case-${i}`, 'dataset') }));
for (const { dataset, dir } of cases) plantDataset(dir, dataset);

const named = (c: PlantedDataset) => `${c.form}: ${c.fault}`;

describe('bad datasets through the CLI (blockwise dataset)', () => {
  it.each(cases.map((c) => [named(c.dataset), c] as const))('%s', async (_, { dataset, dir }) => {
    const { code, errors } = await cliDataset(cliSpec(dataset, dir));
    if (dataset.blame === null || dataset.hostOnly) {
      expect(errors).toEqual([]);
      expect(code).toBe(0);
    } else {
      expect(code).not.toBe(0);
      expect(errors.join('\n')).toMatch(
        new RegExp(`^blockwise: ${escape(blamedPrefix(dir, dataset.blame))}`),
      );
    }
  });

  it('reads the datasets that must load as the host does (train counts)', async () => {
    const catalogue = new DatasetCatalogue(nodeFileSystem);
    for (const { dataset, dir } of cases.filter((c) => c.dataset.trainCount && !c.dataset.hostOnly)) {
      const loaded = await catalogue.load(parseDatasetSpec(cliSpec(dataset, dir))!);
      expect(loaded.ok && loaded.value.train.count).toBe(dataset.trainCount);
    }
  });
});

let host: BrowserHost;
beforeAll(async () => {
  const folders = { documents: join(home, 'Blockwise'), data: join(home, 'data') };
  mkdirSync(join(folders.documents, 'datasets'), { recursive: true });
  const { documents } = composeHostServices(folders);
  host = await startBrowserHost({ root: home, api: documents, fs: nodeFileSystem });
});
afterAll(() => host?.close());

/** A host's answer: the offer made, or the error said. */
interface Reply<T> {
  ok: boolean;
  error?: string;
  value?: T;
}

type Offer = { id: string; train?: number; problem?: string };

async function post<T>(channel: string, args: unknown): Promise<{ status: number; body: Reply<T> }> {
  const res = await fetch(new URL(`/api/${channel}`, host.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-blockwise-token': host.token },
    body: JSON.stringify({ args }),
  });
  return { status: res.status, body: (await res.json()) as Reply<T> };
}

describe('bad datasets through the browser host', () => {
  it.each(cases.map((c) => [named(c.dataset), c] as const))('dataset:add %s', async (_, { dataset, dir }) => {
    const { status, body } = await post<Offer>('dataset:add', [dir]);
    if (dataset.blame === null) {
      expect(body.ok).toBe(true);
      expect(body.value?.problem).toBeUndefined();
      if (dataset.trainCount) expect(body.value?.train).toBe(dataset.trainCount);
    } else {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(body.error).toMatch(new RegExp(`^${escape(blamedPrefix(dir, dataset.blame))}`));
    }
  });
});

describe('bad datasets in the datasets folder, through the browser host', () => {
  it('dataset:list offers each with its problem, naming the file at fault', async () => {
    const inFolder = cases
      .map(({ dataset }, i) => ({ dataset, dir: join(home, 'Blockwise', 'datasets', `case-${i}`) }))
      // Those with entries beside them ("../x") would plant those among the datasets.
      .filter(({ dataset }) => !Object.keys(dataset.entries).some((k) => k.startsWith('../')));
    for (const { dataset, dir } of inFolder) plantDataset(dir, dataset);
    const { status, body } = await post<Offer[]>('dataset:list', []);
    expect(status).toBe(200);
    const offers = body.value ?? [];
    for (const { dataset, dir } of inFolder) {
      const offer = offers.find((o) => o.id === basename(dir));
      if (dataset.blame === null) expect(offer?.problem, named(dataset)).toBeUndefined();
      else
        expect(offer?.problem, named(dataset)).toMatch(
          new RegExp(`^${escape(blamedPrefix(dir, dataset.blame))}`),
        );
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
