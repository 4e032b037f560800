import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type * as Dawn from 'webgpu';
import { chooseBackend, type BackendName } from '../../shared/train/backend.ts';

/** The tfjs backend the kit trains on, the device behind it, and why it is not WebGPU when it is not. */
export interface KitBackend {
  name: BackendName;
  device: string;
  why?: string;
}

/** Dawn (the `webgpu` package) gives Node a WebGPU; answers its adapter's description, or why there is none. */
async function startDawn(): Promise<{ device: string } | { why: string }> {
  let dawn: typeof Dawn;
  try {
    dawn = await import('webgpu');
  } catch (e) {
    return { why: `Dawn did not load: ${(e as Error).message}` };
  }
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { why: 'Dawn found no WebGPU adapter (no Vulkan driver for a GPU here)' };
  Object.assign(globalThis, dawn.globals);
  // tfjs's WebGPU backend registers itself on import where navigator.gpu exists; Node 20 has no navigator.
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  const info = adapter.info;
  return { device: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'GPU' };
}

/**
 * WebGPU where Dawn finds an adapter, else wasm on one thread from `wasmDir` (a dry run on a CPU machine):
 * the table says which, and why.
 */
export async function startKitBackend(wasmDir: string): Promise<KitBackend> {
  const dawn = await startDawn();
  if ('device' in dawn) {
    await import('@tensorflow/tfjs-backend-webgpu');
    try {
      await chooseBackend('webgpu');
      return { name: 'webgpu', device: dawn.device };
    } catch (e) {
      return startWasm(wasmDir, `WebGPU on ${dawn.device} did not start: ${(e as Error).message}`);
    }
  }
  return startWasm(wasmDir, dawn.why);
}

async function startWasm(wasmDir: string, why: string): Promise<KitBackend> {
  setWasmPaths(wasmDir);
  await chooseBackend('wasm');
  return { name: 'wasm', device: 'CPU (wasm, one thread)', why };
}
