import { execFile, spawn } from 'node:child_process';
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

/**
 * Runs Python, handing each line it prints to `onLine` as it comes (a long run reports as it goes).
 * Resolves when it ends well; rejects with the end of its error output, or how to install PyTorch.
 */
export function streamPython(
  args: string[],
  options: { cwd: string; onLine(line: string): void },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(python(), args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      lines.forEach(options.onLine);
    });
    child.stderr
      .setEncoding('utf8')
      .on('data', (chunk: string) => void (stderr = (stderr + chunk).slice(-20_000)));
    child.on('error', () => reject(new Error(TORCH_MISSING)));
    child.on('close', (code) => {
      if (pending) options.onLine(pending);
      if (code === 0) return resolve();
      if (/No module named 'torch'/.test(stderr)) return reject(new Error(TORCH_MISSING));
      reject(
        new Error(`${python()} stopped (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`),
      );
    });
  });
}
