import { spawn } from 'node:child_process';
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

/** Why a Python run failed, in one line: how to install PyTorch, or the end of its error output. */
function pythonFailure(stderr: string, fallback: string): Error {
  if (/No module named 'torch'/.test(stderr)) return new Error(TORCH_MISSING);
  return new Error(`${python()} failed: ${stderr.trim().split('\n').slice(-3).join(' / ') || fallback}`);
}

/**
 * Runs Python with these arguments; rejects with its error output when it fails. It runs in a process group of
 * its own, killed whole past the time allowed: torchrun's workers outlive a kill of torchrun alone.
 */
export function runPython(args: string[], options: { cwd?: string; timeoutMs?: number } = {}) {
  return new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(python(), args, {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
    const seconds = (options.timeoutMs ?? 600_000) / 1000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, seconds * 1000);
    child.on('error', () => {
      clearTimeout(timer);
      reject(new Error(TORCH_MISSING));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut)
        return reject(
          new Error(`${python()} ${args.join(' ')} ran past ${seconds} s: stopped, with all it started`),
        );
      if (code === 0) return resolve({ stdout, stderr });
      reject(pythonFailure(stderr, `exit ${code ?? signal}`));
    });
  });
}

/** Kills a process group, if any of it is left. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone: nothing to stop.
  }
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
      reject(pythonFailure(stderr, `exit ${code}`));
    });
  });
}
