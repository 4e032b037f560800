import { nodeFileSystem } from '../services/file-system.ts';
import { runCli } from './cli.ts';

const code = await runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  progress: process.stderr.isTTY ? (line) => process.stderr.write(`\r\x1b[2K${line}`) : null,
  fs: nodeFileSystem,
});
process.exitCode = code;
