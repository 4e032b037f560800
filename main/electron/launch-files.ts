import { resolve } from 'node:path';
import { DOCUMENT_SUFFIX } from '../host/document-service.ts';

/**
 * The graph files named on a command line (a first launch, or a second instance's): arguments that end in
 * .blockwise.json or .json and are not switches, made absolute against the directory they were given in.
 */
export function documentsFromArgv(argv: readonly string[], cwd: string): string[] {
  return argv
    .filter((a) => !a.startsWith('-') && (a.endsWith(DOCUMENT_SUFFIX) || a.endsWith('.json')))
    .map((a) => resolve(cwd, a));
}
