import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as bundle, type BuildOptions } from 'esbuild';
import { build as buildRenderer } from 'vite';

const repo = fileURLToPath(new URL('../..', import.meta.url));
export const APP_DIST = join(repo, 'app', 'dist');

/**
 * Builds the desktop app into app/dist: main.cjs and preload.cjs (each one CommonJS bundle, everything but
 * electron inside, so app/ needs no runtime dependencies) and the renderer.
 */
export async function buildApp(): Promise<void> {
  rmSync(APP_DIST, { recursive: true, force: true });
  mkdirSync(APP_DIST, { recursive: true });
  const common: BuildOptions = {
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  };
  await bundle({
    ...common,
    entryPoints: [join(repo, 'main/electron/main.ts')],
    outfile: join(APP_DIST, 'main.cjs'),
  });
  await bundle({
    ...common,
    entryPoints: [join(repo, 'main/electron/preload.ts')],
    outfile: join(APP_DIST, 'preload.cjs'),
  });
  await buildRenderer({
    configFile: join(repo, 'renderer', 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: join(APP_DIST, 'renderer'), emptyOutDir: true },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildApp();
  console.log(`Built the desktop app in ${APP_DIST}`);
}
