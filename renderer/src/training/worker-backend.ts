import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { backendsToTry } from '../../../shared/worker/backend-choice.ts';
import { chooseBackend } from '../../../shared/train/backend.ts';
import type { TrainingBackendChoice } from '../../../shared/worker/worker-protocol.ts';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import threadedGlue from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';

/** The GPU's renderer as WebGL2 reports it in this worker (OffscreenCanvas), or null without WebGL2. */
export function webglRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

/**
 * wasm computes on `threads` threads: the browser caps them at hardwareConcurrency / 2, so the worker
 * reports twice the threads asked for while the backend starts (as main/train does in Node). Threads need
 * cross-origin isolation; without it the single-threaded SIMD build runs.
 */
function prepareWasm(threads: number): void {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  setThreadsCount(threads);
}

const THREAD_SCRIPT_START = 'var WasmBackendModuleThreadedSimd = ';

/**
 * tfjs gives each wasm thread its module as `factory.toString()` in a Blob. Bundled, that text refers to
 * names of the bundle the thread does not have ("e is not defined"), so while the backend starts, that one
 * Blob is made of the unbundled emscripten glue instead (as main/train does for Node's threads).
 */
async function withUnbundledThreadScript<T>(start: () => Promise<T>): Promise<T> {
  const NativeBlob = globalThis.Blob;
  globalThis.Blob = class extends NativeBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      const first = parts?.[0];
      super(
        typeof first === 'string' && first.startsWith(THREAD_SCRIPT_START) ? [threadedGlue] : parts,
        options,
      );
    }
  };
  try {
    return await start();
  } finally {
    globalThis.Blob = NativeBlob;
  }
}

/** The backends to try here for a choice: WebGL under `auto` only when this worker sees a real GPU. */
export const workerBackendsToTry = (choice: TrainingBackendChoice) => backendsToTry(choice, webglRenderer());

/** Starts one backend and says what it runs on; throws (saying why) when it cannot start. */
export async function startWorkerBackend(
  name: 'webgl' | 'wasm' | 'cpu',
  threads: number,
): Promise<{ name: string; device: string; threads: number }> {
  if (name === 'wasm') prepareWasm(threads);
  await (name === 'wasm' ? withUnbundledThreadScript(() => chooseBackend(name)) : chooseBackend(name));
  if (name === 'webgl') return { name, device: webglRenderer() ?? 'WebGL', threads: 1 };
  if (name === 'cpu') return { name, device: 'JavaScript (slowest)', threads: 1 };
  const actual = getThreadsCount();
  const isolation = crossOriginIsolated ? '' : ' (no cross-origin isolation: one thread)';
  return {
    name,
    device: `WebAssembly SIMD, ${actual} thread${actual === 1 ? '' : 's'}${isolation}`,
    threads: actual,
  };
}
