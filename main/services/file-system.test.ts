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
import { nodeFileSystem, removeStaleTemporaries, sweepTemporaries } from './file-system.ts';

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

  it('sweeps what killed run writes left: beside the next run kept, and in every runs folder at start', async () => {
    const dir = temp();
    const runs = join(dir, 'Net.runs');
    const hourAgo = new Date(Date.now() - 3_600_000);
    /** A run folder half-staged by a write that was killed, and one being staged now. */
    const leftovers = (folder: string) => {
      const stale = join(folder, '.20261203-1.blockwise-tmp-0123456789ab');
      const fresh = join(folder, '.20261203-2.blockwise-tmp-ba9876543210');
      for (const d of [stale, fresh]) {
        mkdirSync(d, { recursive: true });
        writeFileSync(join(d, 'weights.bin'), 'half');
      }
      utimesSync(stale, hourAgo, hourAgo);
      return { stale, fresh };
    };
    const beside = leftovers(runs);
    await nodeFileSystem.replaceFolder(join(runs, 'next'), { 'run.json': '{}' });
    expect(existsSync(beside.stale)).toBe(false);
    expect(existsSync(beside.fresh)).toBe(true);
    const other = leftovers(join(dir, 'Other.runs'));
    const top = join(dir, '.Other.blockwise.json.blockwise-tmp-0123456789ab');
    writeFileSync(top, 'half');
    utimesSync(top, hourAgo, hourAgo);
    await sweepTemporaries([dir]);
    expect([existsSync(other.stale), existsSync(other.fresh), existsSync(top)]).toEqual([false, true, false]);
  });

  it('leaves no temporary file behind when a write fails', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'taken'));
    await expect(nodeFileSystem.writeBytes(join(dir, 'taken'), 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
