import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDesigner } from '../e2e/designer-session.ts';
import { findTemplate } from '../shared/templates/catalogue.ts';
import type { RunRecord } from '../shared/train/run-record.ts';

/** One network trained on one backend: a row of the training benchmark (Node, Chromium or PyTorch). */
export interface BenchRun {
  network: string;
  backend: string;
  trainSamplesPerSec: number;
  inferSamplesPerSec: number;
  testAccuracy: number;
  partial: boolean;
  /** Peak resident memory of the process that trained (Node's, or PyTorch's). */
  peakRssMiB?: number;
  /** tfjs's live tensors after each epoch. */
  tensorsPerEpoch?: number[];
  /** How many interleaved rounds the figures are the median of, and the range of the training speed. */
  rounds?: number;
  trainRange?: string;
}

/**
 * Trains each network from the Train panel (the template's recipe, `epochs` epochs) on each backend, and
 * reads what the run kept. `maxBatches` caps batches per epoch as in Node (--max-batches); WebGL always
 * takes `webglBatches` (SwiftShader's WebGL is very slow).
 */
export async function trainInBrowser(
  networks: string[],
  backends: string[],
  options: { epochs: number; threads: number; maxBatches: number | null; webglBatches: number },
): Promise<BenchRun[]> {
  const session = await startDesigner();
  const page = session.page;
  const results: BenchRun[] = [];
  try {
    for (const backend of backends)
      for (const id of networks) {
        const title = findTemplate(id)!.title;
        await page.getByTestId(`template-${id}`).click();
        if (await page.getByTestId('confirm-discard').isVisible())
          await page.getByTestId('confirm-discard').click();
        if (!(await page.getByTestId('training-panel').isVisible())) await page.getByTestId('train').click();
        await page.getByTestId('train-epochs').fill(String(options.epochs));
        const cap = backend === 'webgl' ? options.webglBatches : options.maxBatches;
        await page.getByTestId('train-max-batches').fill(cap === null ? '' : String(cap));
        await page.getByTestId('train-threads').fill(String(options.threads));
        await page.getByTestId('train-backend').selectOption(backend);
        process.stderr.write(`${id} in Chromium on ${backend}…\n`);
        await page.getByTestId('train-start').click();
        await page
          .getByText(/^Kept as run |The training worker failed|could not/)
          .waitFor({ timeout: 3_600_000 });
        const status = (await page.getByTestId('train-status').textContent()) ?? '';
        if (!status.startsWith('Kept as run ')) throw new Error(`${id} on ${backend}: ${status}`);
        const folder = join(session.documents, `${title}.runs`);
        const latest = readdirSync(folder).sort().at(-1)!;
        const record = JSON.parse(readFileSync(join(folder, latest, 'run.json'), 'utf8')) as RunRecord;
        const result = {
          network: id,
          backend: `browser-${record.backend}${record.backend === 'wasm' ? `-${record.threads}t` : ''}`,
          trainSamplesPerSec:
            record.epochs.reduce((s, e) => s + e.trainSamplesPerSec, 0) / record.epochs.length,
          inferSamplesPerSec: record.test.samplesPerSec,
          testAccuracy: record.test.accuracy,
          partial: cap !== null,
        };
        process.stderr.write(`  ${JSON.stringify(result)}\n`);
        results.push(result);
      }
  } finally {
    await session.close();
  }
  return results;
}
