import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { PlantedDataset } from '../../shared/fuzz/dataset-fuzz.ts';

/**
 * Writes a generated dataset's entries into `dir` (its "../" entries beside it): files, folders, named
 * pipes (mkfifo) and symbolic links, whose targets are relative to `dir`. For the dataset tests and
 * `npm run fuzz`; `dir` is a fresh temporary folder.
 */
export function plantDataset(dir: string, dataset: PlantedDataset): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, entry] of Object.entries(dataset.entries)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    if ('file' in entry) writeFileSync(path, entry.file);
    else if ('folder' in entry) mkdirSync(path, { recursive: true });
    else if ('fifo' in entry) execFileSync('mkfifo', [path]);
    else symlinkSync(isAbsolute(entry.link) ? entry.link : join(dir, entry.link), path);
  }
}
