import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * A PyTorch peer kept running for a whole benchmark: one JSON job per line in, one JSON result per line out.
 * Kept alive so that its jobs can alternate with ours (tfjs, PyTorch, tfjs, PyTorch…) without paying
 * Python's start and torch's import each time, and so a neighbour's load on the shared machine falls on both.
 */
export class PeerProcess<Job, Result> {
  private readonly waiting: { resolve: (r: Result) => void; reject: (e: Error) => void }[] = [];
  private stderr = '';
  private exited: Error | null = null;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.answer(line));
    child.stderr.on(
      'data',
      (chunk: Buffer) => void (this.stderr = (this.stderr + chunk.toString()).slice(-4000)),
    );
    child.on('exit', (code, signal) => {
      this.exited = new Error(
        `the PyTorch peer stopped (${signal ?? `exit ${code}`}): ${this.stderr.trim()}`,
      );
      for (const w of this.waiting.splice(0)) w.reject(this.exited);
    });
  }

  /**
   * Starts the Python script at `path` in serve mode, with Debian's Python unless told another (the GPU kit
   * takes the machine's); answers null, saying why, when that Python has no torch.
   */
  static start<Job, Result>(
    path: string,
    { python = '/usr/bin/python3' } = {},
  ): PeerProcess<Job, Result> | null {
    if (spawnSync(python, ['-c', 'import torch']).status !== 0) {
      process.stderr.write(
        `PyTorch peer skipped: ${python} with torch not found (apt-get install python3-torch).\n`,
      );
      return null;
    }
    return new PeerProcess(spawn(python, [path, '--serve'], { stdio: 'pipe' }));
  }

  /** Sends one job and waits for its result (jobs are answered in the order sent). */
  run(job: Job): Promise<Result> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(job)}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }

  private answer(line: string): void {
    const next = this.waiting.shift();
    if (!next) return;
    try {
      next.resolve(JSON.parse(line) as Result);
    } catch {
      next.reject(new Error(`the PyTorch peer answered something not JSON: ${line.slice(0, 200)}`));
    }
  }
}
