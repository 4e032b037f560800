import '../shared/test/graph-kit.ts';
import { runGraphFuzz } from '../shared/fuzz/graph-fuzz.ts';
import { findTemplate } from '../shared/templates/catalogue.ts';
import { report } from './bench-report.ts';

// The long fuzz: `npm run fuzz -- 10000` mutates that many template files (seeded, so a failure repeats
// with its seed: ids with "/", a BOM, documents with a broken variant, networks past the weights bound) and
// runs each through parse, inference of every variant, compile and serialize. Exits 1 on any failure,
// a node left without a shape and without a problem among them.
const count = Number(process.argv[2] ?? 10_000);
const started = performance.now();
const { counts, failures, slowestMs } = runGraphFuzz((id) => findTemplate(id)!.build(), 1, count);
report('fuzz', [
  {
    files: count,
    ...counts,
    failures: failures.length,
    'slowest file ms': Math.round(slowestMs),
    // The most memory the process held at once (kB from the kernel): a file that grows it unbounded shows.
    'peak RSS MB': Math.round(process.resourceUsage().maxRSS / 1024),
    'total s': Math.round((performance.now() - started) / 1000),
  },
]);
for (const f of failures.slice(0, 20)) console.log(`FAIL ${f.template} seed ${f.seed}: ${f.message}`);
process.exitCode = failures.length ? 1 : 0;
