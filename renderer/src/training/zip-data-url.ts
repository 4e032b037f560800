import { strToU8, zipSync } from 'fflate';
import type { ProjectFiles } from '../../../shared/export/pytorch/project.ts';
import { toBase64 } from '../host/download.ts';

/** A project's files as one ZIP, in a base64 data URL (what the host's export takes). */
export function zipDataUrl(files: ProjectFiles): string {
  const entries = Object.entries(files).map(([name, c]) => [name, typeof c === 'string' ? strToU8(c) : c]);
  const zipped = zipSync(Object.fromEntries(entries) as Record<string, Uint8Array>);
  return `data:application/zip;base64,${toBase64(zipped)}`;
}
