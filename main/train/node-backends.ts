import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { env } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { chooseBackend, type BackendName } from '../../shared/train/backend.ts';

/** In Node: the wasm backend (its .wasm files from node_modules) and the plain-JS cpu backend. */
export async function startNodeBackend(requested: BackendName | 'auto') {
  env().set('PROD', true);
  const wasmEntry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(`${dirname(wasmEntry)}/`);
  return chooseBackend(requested);
}
