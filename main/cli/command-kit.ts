import { parseInputShape, withInputShape } from '../../shared/editing/input-shape.ts';
import type { Diagnostic } from '../../shared/shapes/diagnostic.ts';
import { formatCount } from '../../shared/shapes/quantity-format.ts';
import type { NetworkOptions } from '../../shared/templates/network-builder.ts';
import { BackendError } from '../../shared/train/backend.ts';
import type { FileSystem } from '../services/file-system.ts';
import type { OptionName } from './command-options.ts';
import { loadGraphSource } from './graph-source.ts';

/*
 * What every command shares: its I/O, its usage errors, loading the graph it is given, and how failures
 * and diagnostics read. Commands import this, never the CLI's entry (cli.ts), which imports them.
 */

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** A progress line that replaces the previous one; null when the terminal cannot (CI, pipes). */
  progress: ((line: string) => void) | null;
  fs: FileSystem;
}

export class UsageError extends Error {}

export type Values = Record<string, string | boolean | string[] | undefined>;
export type Command = (positionals: string[], values: Values, io: CliIo) => Promise<number>;
/** A command and the options it takes: any other given to it is a usage error, never silently ignored. */
export interface CommandSpec {
  run: Command;
  options: readonly OptionName[];
  /** What `blockwise NAME --help` prints, where the command says more than the general usage. */
  help?: () => string;
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of this path is a file, not a folder',
  ENOSPC: 'the disk is full',
  EEXIST: 'already exists',
};

/**
 * Any failure as one line: a file error names the file and what went wrong; anything else its message.
 * Never a stack (uncaught errors inside tfjs-wasm would print its minified source): BLOCKWISE_DEBUG=1
 * shows one.
 */
export function describeFailure(e: unknown): string {
  if (process.env['BLOCKWISE_DEBUG']) console.error(e);
  const error = e as NodeJS.ErrnoException;
  const known = error?.code ? FILE_ERRORS[error.code] : undefined;
  if (known && error.path) return `${error.path}: ${known}`;
  const message = String(error?.message ?? e)
    .split('\n')[0]!
    .slice(0, 500);
  return e instanceof BackendError ? message : `${message} (BLOCKWISE_DEBUG=1 shows where it happened)`;
}

export function oneSource(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('give one FILE or template:NAME');
  return positionals[0]!;
}

/** --classes and --channels: what a template is built for (ImageNet-style: --classes 1000 --channels 3). */
export function networkOptions(values: Values): NetworkOptions {
  const count = (flag: 'classes' | 'channels', most: number) => {
    const text = values[flag];
    if (text === undefined) return {};
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > most)
      throw new UsageError(`--${flag} must be a whole number from 1 to ${most}, not "${String(text)}"`);
    return { [flag]: n };
  };
  return { ...count('classes', 100_000), ...count('channels', 64) };
}

export async function load(positionals: string[], values: Values, io: CliIo) {
  const loaded = await loadGraphSource(oneSource(positionals), io.fs.readText, networkOptions(values));
  if (!loaded.ok) {
    io.err(`blockwise: ${loaded.error}`);
    return null;
  }
  if (typeof values.input !== 'string') return loaded.value;
  const shape = parseInputShape(values.input);
  if (!shape) throw new UsageError(`--input must look like 3x224x224, not "${values.input}"`);
  return { ...loaded.value, graph: withInputShape(loaded.value.graph, shape) };
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.nodeId ? `${d.nodeId}${d.port ? `.${d.port}` : ''}: ` : '';
  return `${d.severity}: ${where}${d.message}`;
}

/** How many of one problem are printed before the rest are counted: 48,400 identical lines helped nobody. */
const SAME_PROBLEM_LINES = 3;

/** Diagnostics as lines, each problem that recurs at many nodes printed a few times, then counted. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string[] {
  const seen = new Map<string, number>();
  const lines: string[] = [];
  for (const d of diagnostics) {
    const key = `${d.severity}\u0000${d.code}\u0000${d.message}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n <= SAME_PROBLEM_LINES) lines.push(formatDiagnostic(d));
  }
  for (const [key, n] of seen)
    if (n > SAME_PROBLEM_LINES)
      lines.push(
        `… and ${formatCount(n - SAME_PROBLEM_LINES)} more of "${key.split('\u0000')[2]!.slice(0, 80)}" at other nodes (--json lists them all)`,
      );
  return lines;
}
