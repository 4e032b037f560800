import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERIFY_INPUTS, VERIFY_LOGITS, verifyScript } from '../../shared/export/pytorch/python-files.ts';
import { runPython } from './python-runner.ts';

/** A model.py whose network returns its input: verify.py then compares the saved inputs with the logits. */
const IDENTITY_MODEL = `import torch


class Net(torch.nn.Module):
    def forward(self, x):
        return x


def load_weights(net, here):
    return net
`;

/** Runs verify.py on tfjs logits and the "PyTorch" ones (the inputs, through the identity model). */
async function verify(tfjs: number[], pytorch: number[]) {
  const dir = mkdtempSync(join(tmpdir(), 'bw-tolerance-'));
  writeFileSync(join(dir, 'model.py'), IDENTITY_MODEL);
  writeFileSync(join(dir, 'verify.py'), verifyScript([tfjs.length], [tfjs.length], 1));
  writeFileSync(join(dir, VERIFY_INPUTS), new Uint8Array(Float32Array.from(pytorch).buffer));
  writeFileSync(join(dir, VERIFY_LOGITS), new Uint8Array(Float32Array.from(tfjs).buffer));
  return runPython(['verify.py'], { cwd: dir }).then(
    () => 'passes',
    () => 'fails',
  );
}

describe('verify.py compares logits with a relative and an absolute tolerance', () => {
  it('passes large logits that agree to 4e-7 of their size (an absolute 1e-4 failed them)', async () => {
    expect(await verify([40_000, -38_000], [40_000.015, -38_000.01])).toBe('passes');
  });

  it('fails small logits off by 5e-4 of their size (an absolute 1e-4 passed them)', async () => {
    expect(await verify([0.1, -0.08], [0.10005, -0.08])).toBe('fails');
  });

  it('passes logits equal to float rounding', async () => {
    expect(await verify([0.1, 2.5, -3], [0.1, 2.5, -3])).toBe('passes');
  });
});
