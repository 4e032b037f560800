import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { engine, env } from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/**
 * tfjs-backend-wasm 4.22 trains on one thread in Node, for two reasons this module works around:
 * - Its threaded build starts each pthread from a `blob:` URL, which Node's Worker cannot load. We write the
 *   pthread script to a file instead, with the main script's path in place of the blob it would import.
 * - It caps threads at hardwareConcurrency / 2, assuming two hardware threads per core. On a 2-vCPU machine
 *   that is one thread, while PyTorch uses both. The cap is read once, while the module starts, through
 *   os.cpus(); for that moment we report enough CPUs that the cap allows the threads asked for.
 * Measured on 2 vCPUs (scratch of bench/train.bench.ts): a 3×3 conv on 128×28×28×32 went from 48 to 27 ms.
 */

const require = createRequire(import.meta.url);
const WASM_OUT = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd';

/** Writes the pthread script where Node's Worker can load it; answers its path. */
function writePthreadScript(): string {
  const mainScript = require.resolve(`${WASM_OUT}.js`);
  const { wasmWorkerContents } = require(`${WASM_OUT}.worker.js`) as { wasmWorkerContents: string };
  const dir = join(os.tmpdir(), `blockwise-wasm-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'pthread.cjs');
  // The pthread imports the main script from the blob tfjs made; in Node that is the file it came from.
  const importMainScript = `URL.createObjectURL = () => ${JSON.stringify(mainScript)}; URL.revokeObjectURL = () => {};\n`;
  // tfjs escapes newlines the same way before it makes its blob: they sit inside string literals.
  writeFileSync(file, importMainScript + wasmWorkerContents.replace(/\n/g, '\\n'));
  return file;
}

interface PthreadPool {
  unusedWorkers: Worker[];
  runningWorkers: Worker[];
}

/** The pool's threads wait for work forever; unreferenced, they let a finished CLI run exit. */
function unrefPthreads(): void {
  const wasm = engine().registry['wasm'] as unknown as { wasm?: { PThread?: PthreadPool } } | undefined;
  const pool = wasm?.wasm?.PThread;
  for (const worker of [...(pool?.unusedWorkers ?? []), ...(pool?.runningWorkers ?? [])]) worker.unref();
}

/**
 * Runs `start` (which must start the wasm backend) so that it starts the threaded build with `threads`
 * threads. Answers what `start` answers.
 */
export async function withWasmThreads<T>(threads: number, start: () => Promise<T>): Promise<T> {
  if (threads <= 1) return start();
  const pthreadScript = writePthreadScript();
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = () => pthreadScript;
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]!);
  env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  try {
    const started = await start();
    unrefPthreads();
    return started;
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
}
