import '../shared/test/graph-kit.ts';
import { badDataset, DATASET_FAULTS } from '../shared/fuzz/dataset-fuzz.ts';
import { runGraphFuzz } from '../shared/fuzz/graph-fuzz.ts';
import { findTemplate } from '../shared/templates/catalogue.ts';
import { checkBadDataset } from '../main/host/bad-dataset-check.ts';
import { linkCase, runLinkCase } from '../main/host/link-fuzz.ts';
import { report } from './bench-report.ts';

// The long fuzz: `npm run fuzz -- 10000` runs that many seeded cases (a failure repeats with its seed):
// - graph files (the rest): mutated templates with ids with "/", a BOM, documents with a broken variant,
//   networks past the weights bound, through parse, inference of every variant, compile and serialize;
//   a node left without a shape and without a problem fails;
// - bad datasets (1 in 20): each fault of shared/fuzz/dataset-fuzz.ts in turn (gzip bombs, huge PNGs,
//   pipes, links, …) through `blockwise dataset` and dataset:add, refused naming the file at fault;
// - links (1 in 40) planted where the host keeps documents and runs, through the page's calls.
// Exits 1 on any failure.
const total = Number(process.argv[2] ?? 10_000);
const datasets = Math.floor(total / 20);
const links = Math.floor(total / 40);
const graphs = total - datasets - links;

interface Failure {
  what: string;
  message: string;
}
const failures: Failure[] = [];
const rows: Record<string, string | number>[] = [];

/** Runs `count` async cases, counting their outcomes and the slowest; a throw is a failure. */
async function runCases(what: string, count: number, run: (i: number) => Promise<string>): Promise<void> {
  const outcomes: Record<string, number> = {};
  let slowestMs = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    try {
      const outcome = await run(i);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    } catch (e) {
      failures.push({ what: `${what} ${i}`, message: (e as Error).message.slice(0, 300) });
    }
    slowestMs = Math.max(slowestMs, performance.now() - t0);
  }
  rows.push(row(what, count, outcomes, slowestMs, started));
}

function row(
  what: string,
  count: number,
  outcomes: Record<string, number>,
  slowestMs: number,
  started: number,
) {
  return {
    cases: what,
    count,
    outcomes: Object.entries(outcomes)
      .map(([k, n]) => `${n} ${k}`)
      .join(', '),
    failures: failures.filter((f) => f.what.startsWith(what)).length,
    'slowest ms': Math.round(slowestMs),
    'total s': Math.round((performance.now() - started) / 1000),
  };
}

const started = performance.now();
const graphRun = runGraphFuzz((id) => findTemplate(id)!.build(), 1, graphs);
for (const f of graphRun.failures)
  failures.push({ what: `graph ${f.template} seed ${f.seed}`, message: f.message });
rows.push(row('graph', graphs, graphRun.counts, graphRun.slowestMs, started));
await runCases('dataset', datasets, async (i) => {
  const dataset = badDataset(i % DATASET_FAULTS, i);
  return checkBadDataset(dataset).catch((e: Error) => {
    throw new Error(`${dataset.form}: ${dataset.fault}: ${e.message}`);
  });
});
await runCases('link', links, async (i) => {
  const c = linkCase(i);
  const answers = await runLinkCase(c);
  const bad = answers.find((a) => !/^(refused|listed with its problem|not listed)$/.test(a));
  if (bad) throw new Error(`${c.kind} at a ${c.place}: answered ${bad}`);
  return answers.every((a) => a === 'refused') ? 'refused' : 'refused or listed as a problem';
});
// The most memory the process held at once (kB from the kernel): a case that grows it unbounded shows.
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
report('fuzz', rows);
for (const f of failures.slice(0, 20)) console.log(`FAIL ${f.what}: ${f.message}`);
process.exitCode = failures.length ? 1 : 0;
