/**
 * The GPU benchmark kit.
 *
 *   npm run bench:gpu -- --pack [--out DIR]      builds the pack (bench/gpu/pack by default) and prints its size
 *   npm run bench:gpu -- --dry-run [--networks …]  builds it and runs its run.sh here, on the CPU, small
 *
 * On a GPU machine: carry the pack there and run `bash <pack>/run.sh` (see bench/gpu/run.sh).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPack, PACK_LIMIT_BYTES } from './pack.ts';

const { values } = parseArgs({
  options: {
    pack: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    out: { type: 'string', default: new URL('./pack', import.meta.url).pathname },
    networks: { type: 'string', default: 'lenet,vgg-mini,resnet-mini,vgg11-96' },
  },
});
const out = values.out;
if (!values.pack && !values['dry-run']) {
  console.error('usage: npm run bench:gpu -- --pack [--out DIR] | --dry-run [--networks …] [--out DIR]');
  process.exit(2);
}

const files = await buildPack(out);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
for (const f of files.sort((a, b) => b.bytes - a.bytes))
  console.log(`${mib(f.bytes).padStart(10)}  ${f.path}`);
const total = files.reduce((s, f) => s + f.bytes, 0);
console.log(
  `${mib(total).padStart(10)}  in all, in ${out} (a GPU machine takes at most ${mib(PACK_LIMIT_BYTES)})`,
);
if (total > PACK_LIMIT_BYTES) process.exit(1);

if (values['dry-run']) {
  // Small enough for a CPU: the point is that every step of the kit works before a GPU is at hand.
  const flags = ['--networks', values.networks, '--batch', '16', '--batches', '2', '--rounds', '1'];
  const run = spawnSync('bash', [join(out, 'run.sh'), ...flags], {
    stdio: 'inherit',
    env: { ...process.env, OUT: join(out, 'results'), PYTHON: '/usr/bin/python3' },
  });
  process.exit(run.status ?? 1);
}
