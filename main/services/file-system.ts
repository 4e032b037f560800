import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  statfs,
  unlink,
} from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KeyedQueue } from '../../shared/keyed-queue.ts';

/** The file access main services need, passed in so that tests can use a temporary folder or a fake. */
export interface FileSystem {
  readBytes(path: string): Promise<Uint8Array>;
  readText(path: string): Promise<string>;
  /** Replaces the file as a whole (never half-written), keeping an existing file's permissions. */
  writeBytes(path: string, data: Uint8Array | string): Promise<void>;
  /** Copies a file as a whole, with its permissions. */
  copyFile(from: string, to: string): Promise<void>;
  listDir(path: string): Promise<{ name: string; isDirectory: boolean }[]>;
  exists(path: string): Promise<boolean>;
  makeDir(path: string): Promise<void>;
  /** The path with every symbolic link resolved; null when it does not exist. */
  realPath(path: string): Promise<string | null>;
  /** Moves a file or folder to a new name in the same folder, at once. */
  rename(from: string, to: string): Promise<void>;
  /** The bytes free on the disk that holds the path (or its nearest folder that exists); null if unknown. */
  freeBytes(path: string): Promise<number | null>;
  /**
   * What lies at the path, a symbolic link there not followed ('other': a pipe, a device, a socket), and
   * its size in bytes; null when nothing does. A reader checks it before it reads: a pipe never ends.
   */
  entryKind(path: string): Promise<{ kind: EntryKind; bytes: number } | null>;
  /** How many names a file has (hard links; a folder counts 1); 0 when it does not exist. */
  linkCount(path: string): Promise<number>;
  /**
   * Replaces a whole folder of files at once: after a crash at any moment the folder holds either all the
   * old files or all the new ones (see `recoverFolder`).
   */
  replaceFolder(dir: string, files: Record<string, Uint8Array | string>): Promise<void>;
  /** Finishes a `replaceFolder` that a crash cut short: afterwards `dir` is whole, old or new. */
  recoverFolder(dir: string): Promise<void>;
  /** Removes a folder and everything in it (nothing when it does not exist). */
  removeFolder(dir: string): Promise<void>;
}

export type EntryKind = 'file' | 'folder' | 'link' | 'other';

/** Temporary names are unique per write (two saves of one path never share one) and recognisable. */
const TEMP_MARK = '.blockwise-tmp-';
const tempName = (path: string) =>
  join(dirname(path), `.${basename(path)}${TEMP_MARK}${randomBytes(6).toString('hex')}`);
const PREVIOUS_MARK = '.blockwise-previous';

const writes = new KeyedQueue();

/** Flushes a folder's entry list, so a rename inside it survives a power cut. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY).catch(() => null);
  if (!handle) return;
  // Some file systems cannot fsync a folder; the data itself is already on disk then.
  await handle.sync().catch(() => undefined);
  await handle.close();
}

const pathExists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** The permissions of the file being replaced, so a private document stays private. */
const modeOf = (path: string) =>
  stat(path).then(
    (s) => s.mode & 0o7777,
    () => 0o644,
  );

async function writeFileSynced(path: string, data: Uint8Array | string, mode: number): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function atomicWrite(path: string, data: Uint8Array | string, mode: number): Promise<void> {
  const tmp = tempName(path);
  try {
    await writeFileSynced(tmp, data, mode);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncFolder(dirname(path));
}

async function replaceFolder(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  const staging = tempName(dir);
  const previous = `${dir}${PREVIOUS_MARK}`;
  await mkdir(staging, { recursive: true });
  try {
    for (const [name, data] of Object.entries(files)) await writeFileSynced(join(staging, name), data, 0o644);
    await syncFolder(staging);
    await recoverFolder(dir);
    const hadOld = await pathExists(dir);
    // Between these two renames only `previous` exists: recoverFolder puts it back if we die there.
    if (hadOld) await rename(dir, previous);
    await rename(staging, dir);
    await syncFolder(dirname(dir));
    if (hadOld) await rm(previous, { recursive: true, force: true });
    // Runs are written here: what an earlier kill left half-written beside this one goes now.
    await removeStaleTemporaries(dirname(dir));
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

async function recoverFolder(dir: string): Promise<void> {
  const previous = `${dir}${PREVIOUS_MARK}`;
  if (!(await pathExists(previous))) return;
  if (await pathExists(dir)) await rm(previous, { recursive: true, force: true });
  else await rename(previous, dir);
}

async function freeBytes(path: string): Promise<number | null> {
  for (let p = path; ; p = dirname(p)) {
    const disk = await statfs(p).catch(() => null);
    if (disk) return disk.bavail * disk.bsize;
    if (dirname(p) === p) return null;
  }
}

/** The real disk: atomic, flushed, per-path serialized writes. */
export const nodeFileSystem: FileSystem = {
  readBytes: async (p) => new Uint8Array(await readFile(p)),
  readText: (p) => readFile(p, 'utf8'),
  writeBytes: (p, data) => writes.run(p, async () => atomicWrite(p, data, await modeOf(p))),
  copyFile: (from, to) =>
    writes.run(to, async () => atomicWrite(to, await readFile(from), await modeOf(from))),
  listDir: async (p) =>
    (await readdir(p, { withFileTypes: true })).map((d) => ({ name: d.name, isDirectory: d.isDirectory() })),
  exists: pathExists,
  makeDir: async (p) => void (await mkdir(p, { recursive: true })),
  realPath: (p) => realpath(p).catch(() => null),
  rename: (from, to) => rename(from, to),
  freeBytes,
  entryKind: async (p) => {
    const info = await lstat(p).catch(() => null);
    if (!info) return null;
    const kind = info.isFile()
      ? 'file'
      : info.isDirectory()
        ? 'folder'
        : info.isSymbolicLink()
          ? 'link'
          : 'other';
    return { kind, bytes: info.size };
  },
  linkCount: async (p) => {
    const info = await stat(p).catch(() => null);
    return info === null ? 0 : info.isDirectory() ? 1 : info.nlink;
  },
  replaceFolder: (dir, files) => writes.run(dir, () => replaceFolder(dir, files)),
  recoverFolder: (dir) => writes.run(dir, () => recoverFolder(dir)),
  removeFolder: (dir) => writes.run(dir, () => rm(dir, { recursive: true, force: true })),
};

/**
 * Deletes temporary files that an interrupted write left in a folder (a crash between writing and renaming).
 * Only older ones: a younger one may belong to a write still under way in another process.
 */
export async function removeStaleTemporaries(dir: string, olderThanMs = 10 * 60_000): Promise<number> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of entries.filter((n) => n.includes(TEMP_MARK))) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (!info || Date.now() - info.mtimeMs < olderThanMs) continue;
    await rm(path, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

/**
 * Sweeps the folders a host writes to at its start: each folder, and the runs folders (`*.runs`) in it,
 * where a kill while keeping a run leaves a half-written one (20 kills left 32 MB).
 */
export async function sweepTemporaries(folders: readonly string[]): Promise<void> {
  for (const folder of folders) {
    await removeStaleTemporaries(folder);
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const e of entries)
      if (e.isDirectory() && e.name.endsWith('.runs')) await removeStaleTemporaries(join(folder, e.name));
  }
}

/**
 * A small state file (recent documents, window place, recovery) read back and checked: null when it is
 * missing, unreadable, not JSON, or not of the expected shape. Such files are conveniences; a damaged one
 * means starting afresh, never an error.
 */
export async function readStateFile<T>(
  fs: FileSystem,
  path: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
): Promise<T | null> {
  try {
    const parsed = schema.safeParse(JSON.parse(await fs.readText(path)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
