import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateEntry } from '../../shared/export/pytorch/state-dict.ts';
import { readStateDictFiles } from '../../shared/export/pytorch/state-dict-import.ts';
import { failure, type Result } from '../../shared/result.ts';
import { pythonScript, runPython } from './python-runner.ts';

/** The file names a PyTorch state_dict is read from. */
export const STATE_DICT_FILE = /\.(pth|pt)$/i;

/**
 * A PyTorch state_dict file (.pth / .pt) read by the system's python3 with torch (torch.load with
 * weights_only=True: tensors only, never an arbitrary object), as float32 tensors by name. Run by the CLI and
 * the host, never the page; what is wrong with the file comes back in one line.
 */
export async function readStateDictFile(path: string): Promise<Result<StateEntry[], string>> {
  const dir = await mkdtemp(join(tmpdir(), 'blockwise-pth-'));
  try {
    await runPython([pythonScript('state_dict_to_raw.py'), path, dir], { timeoutMs: 300_000 });
    const [manifest, bin] = await Promise.all([
      readFile(join(dir, 'weights.json'), 'utf8'),
      readFile(join(dir, 'weights.bin')),
    ]);
    return readStateDictFiles(manifest, new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength));
  } catch (e) {
    return failure((e as Error).message.replace(/^.*? failed: /, ''));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
