import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeHostServices, sweepHostFolders } from './host-services.ts';

const folders = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-host-'));
  return { documents: join(dir, 'docs'), data: join(dir, 'data') };
};

describe('the host services, composed once for every host', () => {
  it('offers the datasets in <documents>/datasets and saves documents in the documents folder', async () => {
    const at = folders();
    mkdirSync(join(at.documents, 'datasets', 'mine'), { recursive: true });
    const { documents, datasets } = composeHostServices(at);
    const offered = await datasets.offered();
    expect(offered.map((d) => d.name)).toContain('mine');
    const saved = await documents.saveDocument({ path: null, suggestedName: 'Net', text: '{}' });
    expect(saved).toMatchObject({ status: 'saved', path: join(at.documents, 'Net.blockwise.json') });
  });

  it('sweeps what a killed write left in the runs of documents never saved, as beside saved ones', async () => {
    const at = folders();
    const draft = join(at.data, 'draft-runs', 'd-1.runs');
    mkdirSync(draft, { recursive: true });
    const left = join(draft, '.20260101-000000.blockwise-tmp-0123456789ab');
    writeFileSync(left, 'half a run');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(left, hourAgo, hourAgo);
    await sweepHostFolders(at);
    expect(existsSync(left)).toBe(false);
  });
});
