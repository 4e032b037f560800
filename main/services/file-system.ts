import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';

/** The file access main services need, passed in so that tests can use a temporary folder or a fake. */
export interface FileSystem {
  readBytes(path: string): Promise<Uint8Array>;
  readText(path: string): Promise<string>;
  writeBytes(path: string, data: Uint8Array | string): Promise<void>;
  listDir(path: string): Promise<{ name: string; isDirectory: boolean }[]>;
  exists(path: string): Promise<boolean>;
  makeDir(path: string): Promise<void>;
}

/** The real disk. Writes go to a temporary file first, then rename: a crash never leaves half a file. */
export const nodeFileSystem: FileSystem = {
  readBytes: async (p) => new Uint8Array(await readFile(p)),
  readText: (p) => readFile(p, 'utf8'),
  async writeBytes(p, data) {
    const tmp = `${p}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, p);
  },
  listDir: async (p) =>
    (await readdir(p, { withFileTypes: true })).map((d) => ({ name: d.name, isDirectory: d.isDirectory() })),
  exists: (p) =>
    stat(p).then(
      () => true,
      () => false,
    ),
  makeDir: async (p) => void (await mkdir(p, { recursive: true })),
};

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
