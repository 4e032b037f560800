import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostRefusal } from '../../shared/api/designer-calls.ts';
import type { PlantedDataset } from '../../shared/fuzz/dataset-fuzz.ts';
import { runCli } from '../cli/cli.ts';
import { nodeFileSystem } from '../services/file-system.ts';
import { plantDataset } from '../services/planted-folder.ts';
import { composeHostServices } from './host-services.ts';

/**
 * A generated bad dataset (shared/fuzz/dataset-fuzz.ts) through the CLI and a host, and the promise each
 * keeps: refused with an error that begins with the path at fault, or (a dataset that must load) loaded.
 * The dataset test and `npm run fuzz` share it.
 */

/** How the CLI is given the dataset in `dir`. */
export function cliSpec({ form }: PlantedDataset, dir: string): string {
  return form === 'csv' ? `csv:${join(dir, 'train.csv')},${join(dir, 'test.csv')}` : `${form}:${dir}`;
}

/** The start every refusal of the dataset in `dir` must have: the path at fault, then a colon. */
export function blamedPrefix(dir: string, blame: string): string {
  return `${blame ? join(dir, blame) : dir}: `;
}

/** `blockwise dataset --dataset SPEC`: its exit code and what it printed to stderr. */
export async function cliDataset(spec: string): Promise<{ code: number; errors: string[] }> {
  const errors: string[] = [];
  const io = {
    out: () => undefined,
    err: (t: string) => void errors.push(t),
    progress: null,
    fs: nodeFileSystem,
  };
  return { code: await runCli(['dataset', '--dataset', spec, '--json'], io), errors };
}

/** Plants the dataset in a fresh home, runs it through the CLI and dataset:add; throws on a broken promise. */
export async function checkBadDataset(dataset: PlantedDataset): Promise<'refused' | 'loaded'> {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'bw-dataset-fuzz-')));
  try {
    const dir = join(home, 'dataset');
    plantDataset(dir, dataset);
    const mustLoad = dataset.blame === null;
    const cli = await cliDataset(cliSpec(dataset, dir));
    const cliPromise =
      mustLoad || dataset.hostOnly
        ? cli.code === 0
        : refusedAs(cli.errors.join('\n'), `blockwise: ${blamedPrefix(dir, dataset.blame!)}`);
    if (!cliPromise) throw new Error(`the CLI answered ${cli.code}: ${cli.errors.join(' ') || 'nothing'}`);
    const { documents } = composeHostServices({
      documents: join(home, 'Blockwise'),
      data: join(home, 'data'),
    });
    const added = await documents.addDataset(dir).then(
      (offer) => (offer && !('problem' in offer) ? 'loaded' : `offered as ${JSON.stringify(offer)}`),
      (e: Error) => (e instanceof HostRefusal ? e.message : `failed: ${e.message}`),
    );
    const hostPromise = mustLoad ? added === 'loaded' : refusedAs(added, blamedPrefix(dir, dataset.blame!));
    if (!hostPromise) throw new Error(`dataset:add answered ${added}`);
    return mustLoad ? 'loaded' : 'refused';
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const refusedAs = (message: string, prefix: string) => message.startsWith(prefix);
