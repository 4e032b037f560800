import type { TrainingBackendChoice } from './worker-protocol.ts';

/** Renderers that draw WebGL on the CPU: correct, but 20–40× slower at training than wasm. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

export const isSoftwareRenderer = (renderer: string): boolean => SOFTWARE_RENDERERS.test(renderer);

/**
 * The backends to try, in order, for a choice: one the user names is the only one tried (it starts or
 * the run fails saying why, never a silent fall-back); `auto` takes WebGL only on a real GPU.
 */
export function backendsToTry(
  choice: TrainingBackendChoice,
  webglRenderer: string | null,
): ('webgl' | 'wasm' | 'cpu')[] {
  if (choice !== 'auto') return [choice];
  const gpu = webglRenderer !== null && !isSoftwareRenderer(webglRenderer);
  return gpu ? ['webgl', 'wasm', 'cpu'] : ['wasm', 'cpu'];
}
