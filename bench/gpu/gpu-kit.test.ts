import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPack, PACK_LIMIT_BYTES } from './pack.ts';

describe('the GPU benchmark kit', () => {
  const work = mkdtempSync(join(tmpdir(), 'blockwise-gpu-kit-test-'));
  const pack = join(work, 'pack');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs what a bare GPU machine needs within what it takes along', async () => {
    const files = await buildPack(pack);
    const names = files.map((f) => f.path);
    for (const needed of ['run.sh', 'node.gz', 'gpu-bench.mjs', 'gpu_peer.py', 'dist/linux-x64/dawn.node.gz'])
      expect(names).toContain(needed);
    expect(names.some((n) => n.startsWith('wasm/') && n.endsWith('.wasm'))).toBe(true);
    expect(files.reduce((s, f) => s + f.bytes, 0)).toBeLessThan(PACK_LIMIT_BYTES);
  });

  it('runs from the pack alone: its own Node, tfjs (WebGPU, else wasm) and PyTorch taking turns, one table', () => {
    const out = join(work, 'results');
    const run = spawnSync(
      'bash',
      [join(pack, 'run.sh'), '--networks', 'lenet', '--batch', '8', '--batches', '1'],
      {
        encoding: 'utf8',
        // No node on the PATH: the pack's own must do.
        env: { PATH: '/usr/bin:/bin', OUT: out, PYTHON: '/usr/bin/python3', HOME: work },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const { rows } = JSON.parse(readFileSync(join(out, 'gpu.json'), 'utf8')) as {
      rows: Record<string, string | number>[];
    };
    const backend = JSON.parse(readFileSync(join(out, 'backend.json'), 'utf8')) as {
      name: string;
      why?: string;
    };
    expect(['webgpu', 'wasm']).toContain(backend.name);
    if (backend.name === 'wasm') expect(backend.why).toMatch(/WebGPU|Dawn/);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.network).toBe('lenet');
    expect(rows[0]![`tfjs ${backend.name} samples/s`]).toBeGreaterThan(0);
    expect(rows[0]!['PyTorch samples/s']).toBeGreaterThan(0);
    expect(String(rows[0]!['PyTorch device'])).toMatch(/CPU|CUDA/);
  });
});
