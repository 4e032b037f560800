import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

/** The machine's load (1-minute average) when the benchmark started: it shares the machine with others. */
const loadAtStart = loadavg()[0]!;

/** The middle value (the upper one of the two middle values for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  return [...values].sort((a, b) => a - b)[values.length >> 1]!;
}

/** Median of a few timed runs of f, in milliseconds. */
export function medianMs(runs: number, f: (i: number) => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f(i);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * Runs `rounds` rounds of every peer in turn (a, b, a, b…), so drift in the machine's speed falls on all of
 * them alike, and answers each peer's results in round order.
 */
export async function interleaved<P extends string, R>(
  rounds: number,
  peers: Record<P, () => Promise<R>>,
): Promise<Record<P, R[]>> {
  const names = Object.keys(peers) as P[];
  const results = Object.fromEntries(names.map((n) => [n, [] as R[]])) as Record<P, R[]>;
  for (let r = 0; r < rounds; r++) for (const n of names) results[n].push(await peers[n]());
  return results;
}

/**
 * Prints rows as an aligned table and writes them, with the machine, to <dir>/<name>.json (bench/results by
 * default) and the table beside it as <name>.txt.
 */
export function report(
  name: string,
  rows: Record<string, string | number>[],
  dir: string = new URL('./results/', import.meta.url).pathname,
): void {
  const keys = Object.keys(rows[0] ?? {});
  const cell = (v: string | number | undefined) =>
    typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 3 }) : (v ?? '');
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(cell(r[k])).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  const load = { atStart: loadAtStart, atEnd: loadavg()[0]! };
  const table = [
    line(keys),
    ...rows.map((r) => line(keys.map((k) => String(cell(r[k]))))),
    '',
    `machine load (1-minute average): ${load.atStart.toFixed(2)} at the start, ${load.atEnd.toFixed(2)} at the end`,
  ].join('\n');
  console.log(table);
  const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, load };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ name, date: new Date().toISOString(), machine, rows }, null, 2)}\n`,
  );
  writeFileSync(join(dir, `${name}.txt`), `${table}\n`);
  console.log(`\nwritten to ${file}`);
}
