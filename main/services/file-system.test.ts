import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileSystem, removeStaleTemporaries } from './file-system.ts';

const temp = () => mkdtempSync(join(tmpdir(), 'bw-fs-'));

describe('the file system', () => {
  it('replaces a folder as a whole; a crash between its two renames is put right on the next look', async () => {
    const dir = join(temp(), 'run');
    await nodeFileSystem.replaceFolder(dir, { 'run.json': 'epoch 1', 'weights.bin': 'w1' });
    await nodeFileSystem.replaceFolder(dir, { 'run.json': 'epoch 2', 'weights.bin': 'w2' });
    expect(readFileSync(join(dir, 'run.json'), 'utf8')).toBe('epoch 2');
    expect(readdirSync(join(dir, '..'))).toEqual(['run']);
    // The state a kill leaves after the old folder was moved aside and before the new one took its place.
    renameSync(dir, `${dir}.blockwise-previous`);
    await nodeFileSystem.recoverFolder(dir);
    expect(readFileSync(join(dir, 'weights.bin'), 'utf8')).toBe('w2');
    expect(readdirSync(join(dir, '..'))).toEqual(['run']);
  });

  it('removes temporary files an interrupted write left, but only old ones', async () => {
    const dir = temp();
    const stale = join(dir, '.a.blockwise.json.blockwise-tmp-0123456789ab');
    const fresh = join(dir, '.b.blockwise.json.blockwise-tmp-ba9876543210');
    writeFileSync(stale, 'half');
    writeFileSync(fresh, 'being written');
    writeFileSync(join(dir, 'a.blockwise.json'), 'kept');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, hourAgo, hourAgo);
    expect(await removeStaleTemporaries(dir)).toBe(1);
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([
      '.b.blockwise.json.blockwise-tmp-ba9876543210',
      'a.blockwise.json',
    ]);
  });

  it('leaves no temporary file behind when a write fails', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'taken'));
    await expect(nodeFileSystem.writeBytes(join(dir, 'taken'), 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
