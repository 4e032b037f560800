import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(new URL(import.meta.url).pathname);
const require = createRequire(import.meta.url);

/** The most a GPU machine takes along (the device tool's limit on what a call carries). */
export const PACK_LIMIT_BYTES = 64 * 2 ** 20;

function gzipFile(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, gzipSync(readFileSync(from)));
}

/** The program, bundled whole: tfjs, its WebGPU and wasm backends, the compiler, the training loop, the export. */
async function bundle(out: string): Promise<void> {
  await build({
    entryPoints: [join(here, 'gpu-bench.ts')],
    outfile: join(out, 'gpu-bench.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // Packages written for CommonJS call require() for Node's own modules; an ES module has none.
    inject: [join(here, 'bundle-dirname.ts')],
    banner: {
      js: "import { createRequire as requireFor } from 'node:module'; const require = requireFor(import.meta.url);",
    },
  });
}

function filesUnder(dir: string): { path: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return { path: relative(dir, path), bytes: statSync(path).size };
    });
}

/**
 * Builds the GPU benchmark kit in `out` (replacing it): Node itself and Dawn's addon for linux-x64, gzipped;
 * the bundled program; tfjs's wasm binaries (the fall-back); the PyTorch peer; run.sh. Answers its files.
 */
export async function buildPack(out: string): Promise<{ path: string; bytes: number }[]> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'wasm'), { recursive: true });
  await bundle(out);
  const wasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  for (const f of readdirSync(wasmDist).filter((f) => f.endsWith('.wasm')))
    copyFileSync(join(wasmDist, f), join(out, 'wasm', f));
  gzipFile(process.execPath, join(out, 'node.gz'));
  const dawn = join(dirname(require.resolve('webgpu')), 'dist', 'linux-x64', 'dawn.node');
  gzipFile(dawn, join(out, 'dist', 'linux-x64', 'dawn.node.gz'));
  for (const f of ['gpu_peer.py', 'run.sh']) copyFileSync(join(here, f), join(out, f));
  return filesUnder(out);
}
