import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Median of a few timed runs of f, in milliseconds. */
export function medianMs(runs: number, f: (i: number) => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

/** Prints rows as an aligned table and writes them, with the machine, to bench/results/<name>.json. */
export function report(name: string, rows: Record<string, string | number>[]): void {
  const keys = Object.keys(rows[0] ?? {});
  const cell = (v: string | number | undefined) =>
    typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 3 }) : (v ?? '');
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(cell(r[k])).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(line(keys));
  for (const r of rows) console.log(line(keys.map((k) => String(cell(r[k])))));
  const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length };
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  writeFileSync(
    file,
    `${JSON.stringify({ name, date: new Date().toISOString(), machine, rows }, null, 2)}\n`,
  );
  console.log(`\nwritten to ${file.pathname}`);
}
