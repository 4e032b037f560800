import { engine, env, setBackend } from '@tensorflow/tfjs-core';
import { registerTrainingKernels } from './kernels/register-training-kernels.ts';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Fastest first. */
export const BACKEND_PREFERENCE: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export class BackendError extends Error {}

/**
 * Picks the backend: the one named, or the fastest that starts. tf.setBackend answers false instead of
 * throwing when a backend cannot start, so each answer is checked: a named backend that fails is an error,
 * never a silent fall-back.
 */
export async function chooseBackend(
  requested: BackendName | 'auto',
): Promise<{ name: BackendName; tried: string[] }> {
  const registered = Object.keys(engine().registryFactory) as BackendName[];
  const candidates =
    requested === 'auto' ? BACKEND_PREFERENCE.filter((b) => registered.includes(b)) : [requested];
  const tried: string[] = [];
  // tfjs refuses software WebGL (SwiftShader) unless told; it is slow but correct. The flag exists only
  // once the webgl backend is loaded.
  if (registered.includes('webgl')) env().set('SOFTWARE_WEBGL_ENABLED', true);
  for (const name of candidates) {
    if (!registered.includes(name)) {
      tried.push(`${name}: not available here (available: ${registered.join(', ')})`);
      continue;
    }
    let ok = false;
    try {
      ok = await setBackend(name);
    } catch (e) {
      tried.push(`${name}: ${(e as Error).message}`);
      continue;
    }
    if (ok) {
      registerTrainingKernels();
      return { name, tried };
    }
    tried.push(`${name}: failed to start`);
  }
  const why = tried.join('; ');
  throw new BackendError(
    requested === 'auto'
      ? `No tfjs backend could start (${why}).`
      : `The ${requested} backend could not start (${why}). Choose another with --backend.`,
  );
}
