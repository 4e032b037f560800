import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { env } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { chooseBackend, type BackendName } from '../../shared/train/backend.ts';
import { withWasmThreads } from './wasm-threads.ts';

/**
 * In Node: the wasm backend (its .wasm files from node_modules, on `threads` threads, every core by default)
 * and the plain-JS cpu backend. Answers the backend used and, for wasm, how many threads it runs.
 */
export async function startNodeBackend(
  requested: BackendName | 'auto',
  threads = availableParallelism(),
): Promise<{ name: BackendName; tried: string[]; threads: number }> {
  env().set('PROD', true);
  const wasmEntry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(`${dirname(wasmEntry)}/`);
  const chosen = await withWasmThreads(threads, () => chooseBackend(requested));
  return { ...chosen, threads: chosen.name === 'wasm' ? getThreadsCount() : 1 };
}
