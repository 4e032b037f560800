import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * The Python that runs exported projects: BLOCKWISE_PYTHON, else the system's (Debian's python3-torch
 * installs there, whatever a version manager puts first on the PATH), else python3 on the PATH. Never a
 * dependency of the app.
 */
export const python = (): string =>
  process.env['BLOCKWISE_PYTHON'] ?? (existsSync(SYSTEM_PYTHON) ? SYSTEM_PYTHON : 'python3');

/** What to do when PyTorch is missing. */
export const TORCH_MISSING =
  'PyTorch is not installed for python3: on Debian, sudo apt-get install python3-torch (or pip install torch), or point BLOCKWISE_PYTHON at a Python that has it.';

/** Scripts shipped with Blockwise for its Python side (model checks, references). */
export const pythonScript = (name: string): string =>
  fileURLToPath(new URL(`./python/${name}`, import.meta.url));

/** Runs Python with these arguments; rejects with its error output when it fails. */
export function runPython(args: string[], options: { cwd?: string; timeoutMs?: number } = {}) {
  return new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      python(),
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 600_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const missing =
          (error as NodeJS.ErrnoException).code === 'ENOENT' || /No module named 'torch'/.test(stderr);
        reject(
          new Error(
            missing
              ? TORCH_MISSING
              : `${python()} failed: ${stderr.trim().split('\n').slice(-3).join(' / ') || error.message}`,
          ),
        );
      },
    );
  });
}

/** One JSON object per printed line. */
export const jsonLines = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as T);
