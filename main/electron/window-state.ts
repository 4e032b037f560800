import { dirname } from 'node:path';
import { z } from 'zod';
import { readStateFile, type FileSystem } from '../services/file-system.ts';

const boundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean().default(false),
});
export type WindowBounds = z.infer<typeof boundsSchema>;

/** The window's size and place, remembered between launches; a missing or damaged file means defaults. */
export class WindowStateStore {
  constructor(
    private readonly fs: FileSystem,
    private readonly path: string,
  ) {}

  load(): Promise<WindowBounds | null> {
    return readStateFile(this.fs, this.path, boundsSchema);
  }

  async save(bounds: WindowBounds): Promise<void> {
    await this.fs.makeDir(dirname(this.path));
    await this.fs.writeBytes(this.path, JSON.stringify(boundsSchema.parse(bounds)));
  }
}
