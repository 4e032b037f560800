import type { TrainingBackendChoice } from './worker-protocol.ts';

/** Renderers that draw WebGL on the CPU: correct, but 20–40× slower at training than wasm. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

export const isSoftwareRenderer = (renderer: string): boolean => SOFTWARE_RENDERERS.test(renderer);

type Candidate = 'webgl' | 'wasm' | 'cpu';

/** The backends to try for a choice, in order, and under `auto` why that order (null for a named one). */
export interface BackendPlan {
  order: Candidate[];
  why: string | null;
}

/**
 * The backends to try, in order, for a choice: one the user names is the only one tried (it starts or
 * the run fails saying why, never a silent fall-back); `auto` takes WebGL only on a real GPU, and says so.
 */
export function backendsToTry(choice: TrainingBackendChoice, webglRenderer: string | null): BackendPlan {
  if (choice !== 'auto') return { order: [choice], why: null };
  if (webglRenderer === null) return { order: ['wasm', 'cpu'], why: 'no WebGL2 here: wasm' };
  const software = SOFTWARE_RENDERERS.exec(webglRenderer);
  if (software)
    return { order: ['wasm', 'cpu'], why: `software WebGL (${software[0]}): wasm is faster here` };
  return { order: ['webgl', 'wasm', 'cpu'], why: `a GPU (${webglRenderer})` };
}
