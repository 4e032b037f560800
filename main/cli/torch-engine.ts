import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pytorchProject } from '../../shared/export/pytorch/project.ts';
import type { GraphFile } from '../../shared/graph/file-format.ts';
import type { BatchEvent } from '../../shared/train/train-loop.ts';
import { parseRunRecordText } from '../../shared/train/run-record.ts';
import type { TrainConfig } from '../../shared/train/train-config.ts';
import { streamPython } from '../export/python-runner.ts';
import { UsageError, type CliIo, type Values } from './command-kit.ts';
import { writeProject } from './export-pytorch.ts';
import { formatEpochTable, formatProgress } from './train-report.ts';

/** Flags of the tfjs engine that mean nothing to PyTorch's. */
const TFJS_ONLY = ['backend', 'threads', 'resume'];

/**
 * `train … --engine torch`: the graph exported to PyTorch (model.py, train.py with this recipe) and run by
 * the system's Python, with the same progress bar and run record as the tfjs engine; the GPU when PyTorch
 * has cuda. PyTorch is never Blockwise's dependency: without it, the error says how to install it.
 */
export async function trainWithTorch(
  file: GraphFile,
  config: TrainConfig,
  v: Values,
  io: CliIo,
  out: string,
): Promise<number> {
  const misplaced = TFJS_ONLY.find((flag) => v[flag] !== undefined);
  if (misplaced)
    throw new UsageError(
      `--${misplaced} is for the tfjs engine; --engine torch picks cuda or the CPU itself`,
    );
  const project = pytorchProject({
    graph: file.graph,
    name: file.meta.name,
    recipe: config,
  });
  if (!project.ok) {
    io.err(`blockwise: cannot train with PyTorch: ${project.error.message}`);
    return 1;
  }
  const work = await mkdtemp(join(tmpdir(), 'blockwise-torch-'));
  try {
    await writeProject(io.fs, work, project.value);
    // The same --dataset syntax; a CSV's shape is told by the network's Input there.
    const data = String(v['dataset'] ?? 'fashion-mnist').replace(/@\d+x\d+x\d+$/, '');
    const runDir = resolve(out);
    const ran = await streamPython(['train.py', '--data', data, '--out', runDir, '--progress-json'], {
      cwd: work,
      onLine: (line) => {
        if (line.startsWith('{"kind": "batch"'))
          io.progress?.(formatProgress(JSON.parse(line) as BatchEvent, config.epochs));
        else if (line.trim()) {
          io.progress?.('');
          io.err(line);
        }
      },
    }).then(
      () => null,
      (e: Error) => e.message,
    );
    if (ran) {
      io.err(`blockwise: ${ran}`);
      return 1;
    }
    const read = parseRunRecordText(await io.fs.readText(join(runDir, 'run.json')));
    if (!read.ok) {
      io.err(`blockwise: train.py's run.json: ${read.error}`);
      return 1;
    }
    const record = read.value;
    if (v['json'] === true) io.out(JSON.stringify(record, null, 2));
    else {
      io.out(formatEpochTable(record));
      io.out(`\nTest accuracy ${record.test.accuracy.toFixed(4)} with PyTorch (${record.backend}).`);
      io.out(`Saved to ${out}/ (run.json, model.pt).`);
    }
    return 0;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
