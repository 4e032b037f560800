import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConvertedStateDict } from '../../shared/api/designer-api.ts';
import type { StateEntry } from '../../shared/export/pytorch/state-dict.ts';
import { readStateDictFiles } from '../../shared/export/pytorch/state-dict-files.ts';
import { failure, success, type Result } from '../../shared/result.ts';
import { pythonScript, runPython } from './python-runner.ts';

/** A state_dict as the converter writes it: weights.json's text and weights.bin's float32 values. */
interface RawStateDict {
  manifest: string;
  bin: Uint8Array;
}

/** Why a conversion failed, in one line: python's own prefix ("/usr/bin/python3 failed: ") left out. */
const conversionProblem = (e: unknown) => (e as Error).message.replace(/^.*? failed: /, '');

/** Runs `use` on a temporary folder of its own, removed afterwards whatever happens. */
async function inTemporaryFolder<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'blockwise-pth-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A PyTorch state_dict file converted by the system's python3 with torch (torch.load with weights_only=True:
 * tensors only, never an arbitrary object) into its index and float32 values; what is wrong, in one line.
 */
async function convertStateDictFile(path: string): Promise<Result<RawStateDict, string>> {
  return inTemporaryFolder(async (dir) => {
    try {
      await runPython([pythonScript('state_dict_to_raw.py'), path, dir], { timeoutMs: 300_000 });
      const [manifest, bin] = await Promise.all([
        readFile(join(dir, 'weights.json'), 'utf8'),
        readFile(join(dir, 'weights.bin')),
      ]);
      return success({ manifest, bin: new Uint8Array(bin.buffer, bin.byteOffset, bin.byteLength) });
    } catch (e) {
      return failure(conversionProblem(e));
    }
  });
}

/**
 * A PyTorch state_dict file (.pth / .pt) as float32 tensors by name. Run by the CLI and the host, never the
 * page; what is wrong with the file comes back in one line.
 */
export async function readStateDictFile(path: string): Promise<Result<StateEntry[], string>> {
  const raw = await convertStateDictFile(path);
  return raw.ok ? readStateDictFiles(raw.value.manifest, raw.value.bin) : raw;
}

/**
 * The bytes of a state_dict file the user picked in the page, converted as a file's are (written to a
 * temporary file of the host's, removed afterwards): its index and values, or one sentence saying why not.
 */
export async function convertStateDictBytes(
  fileName: string,
  bytes: Uint8Array,
): Promise<Result<ConvertedStateDict, string>> {
  return inTemporaryFolder(async (dir) => {
    const path = join(dir, 'picked.pth');
    await writeFile(path, bytes);
    const raw = await convertStateDictFile(path);
    if (!raw.ok) return failure(`${fileName} was not read: ${raw.error}`);
    return success({ index: raw.value.manifest, base64: Buffer.from(raw.value.bin).toString('base64') });
  });
}
