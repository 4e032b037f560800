import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../services/file-system.ts';
import { DocumentService } from './document-service.ts';

const PNG_1x1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function service() {
  const dir = mkdtempSync(join(tmpdir(), 'bw-docs-'));
  const folders = { documents: join(dir, 'docs'), data: join(dir, 'data') };
  return { dir, folders, api: new DocumentService(nodeFileSystem, folders) };
}

describe('DocumentService', () => {
  it('saving over a document keeps its previous version as .bak', async () => {
    const { api } = service();
    const first = await api.saveDocument({ path: null, suggestedName: 'Net', text: 'one' });
    await api.saveDocument({ path: first!.path, suggestedName: 'Net', text: 'two' });
    expect(readFileSync(first!.path, 'utf8')).toBe('two');
    expect(readFileSync(`${first!.path}.bak`, 'utf8')).toBe('one');
    const copy = await api.saveDocument({ path: null, suggestedName: 'Net copy', text: 'two' });
    expect(copy!.name).toBe('Net copy');
    expect((await api.recentDocuments()).map((d) => d.name)).toEqual(['Net copy', 'Net']);
  });

  it('exports SVG text and PNG bytes, and refuses a PNG that is not a base64 data URL', async () => {
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
    ).rejects.toThrow(/not a base64 PNG data URL/);
  });

  it('remembers recent documents across launches, and ignores a damaged list', async () => {
    const { api, folders } = service();
    const saved = await api.saveDocument({ path: null, suggestedName: 'Kept', text: '{}' });
    const again = new DocumentService(nodeFileSystem, folders);
    expect(await again.recentDocuments()).toEqual([saved]);
    await nodeFileSystem.writeBytes(join(folders.data, 'recent.json'), '[{"path": 5}]');
    expect(await new DocumentService(nodeFileSystem, folders).recentDocuments()).toEqual([saved]);
    expect((await new DocumentService(nodeFileSystem, folders).openDocument(saved!.path))?.text).toBe('{}');
  });

  it('clearing recovery before anything was written is not an error', async () => {
    const { api } = service();
    await expect(api.clearRecovery()).resolves.toBeUndefined();
    await api.writeRecovery('work');
    await api.clearRecovery();
    expect(await api.readRecovery()).toBeNull();
  });
});
