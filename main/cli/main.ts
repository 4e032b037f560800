import { nodeFileSystem } from '../services/file-system.ts';
import { runCli } from './cli.ts';
import { describeFailure } from './command-kit.ts';

// Output piped into a reader that stops early (`blockwise dataset | head`): nothing more to say, no error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

// An error thrown outside the command (a wasm thread, a timer) is one line too, never a dump of source.
const fail = (e: unknown) => {
  process.stderr.write(`blockwise: ${describeFailure(e)}\n`);
  process.exit(1);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

const code = await runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  progress: process.stderr.isTTY ? (line) => process.stderr.write(`\r\x1b[2K${line}`) : null,
  fs: nodeFileSystem,
});
process.exitCode = code;
