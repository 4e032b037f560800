import { readFile, writeFile } from 'node:fs/promises';
import { runCli } from './cli.ts';

const code = await runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  readText: (p) => readFile(p, 'utf8'),
  writeText: (p, t) => writeFile(p, t, 'utf8'),
});
process.exitCode = code;
