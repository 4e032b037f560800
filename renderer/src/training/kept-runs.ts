import { parseDesignFile } from '../../../shared/blocks/design-file.ts';
import type { Graph } from '../../../shared/graph/document.ts';
import type { RunFileName } from '../../../shared/train/run-file-names.ts';
import type { KeptRun } from '../../../shared/train/run-record.ts';
import { downloadFile, fromBase64 } from '../host/download.ts';
import { hostApi } from '../host/host-api.ts';
import { deliverExport } from '../document/deliver-export.ts';
import { zipDataUrl } from './zip-data-url.ts';
import { useDocument } from '../document/document-store.ts';
import { useTraining, type DocumentPlace } from './training-store.ts';
import { inOwnWorker } from './own-worker.ts';

/** One file of a kept run of the open document, through the host. */
export async function runFile(runId: string, file: RunFileName): Promise<string | Uint8Array> {
  const { path, draft } = documentPlace();
  const read = await hostApi.readRunFile({ documentPath: path, draft, runId, file });
  return 'text' in read ? read.text : fromBase64(read.base64);
}

/** A kept run's trained model as tfjs artifacts (model.json and weights.bin), downloaded. */
export async function exportWeights(kept: KeptRun): Promise<void> {
  const notify = useDocument.getState().notify;
  try {
    const [model, weights] = await Promise.all([
      runFile(kept.id, 'model.json'),
      runFile(kept.id, 'weights.bin'),
    ]);
    downloadFile('model.json', model, 'application/json');
    downloadFile('weights.bin', weights, 'application/octet-stream');
    notify({
      kind: 'info',
      text: `Downloaded model.json and weights.bin of run ${kept.id} (load with tf.loadLayersModel).`,
    });
  } catch (e) {
    notify({ kind: 'error', text: `Could not export run ${kept.id}: ${(e as Error).message}.` });
  }
}

/**
 * A kept run as a PyTorch project with its weights and verify.py, zipped. Made in a worker of its own:
 * the model runs once there (verify.py's data), off the page's thread.
 */
export async function exportRunToPytorch(kept: KeptRun): Promise<void> {
  const notify = useDocument.getState().notify;
  try {
    const text = async (file: RunFileName) => String(await runFile(kept.id, file));
    const weights = await runFile(kept.id, 'weights.bin');
    const files = await inOwnWorker(
      {
        kind: 'exportPytorch',
        graphText: await text('graph.blockwise.json'),
        runJson: await text('run.json'),
        modelJson: await text('model.json'),
        weights: typeof weights === 'string' ? new TextEncoder().encode(weights) : weights,
      },
      (e) => (e.kind === 'exported' ? e.files : undefined),
    );
    const name = useDocument.getState().name;
    await deliverExport(`${name} run ${kept.id} PyTorch`, 'zip', zipDataUrl(files));
  } catch (e) {
    notify({ kind: 'error', text: `Could not export run ${kept.id} to PyTorch: ${(e as Error).message}` });
  }
}

/** Where the open document's runs are kept. */
export function documentPlace(): DocumentPlace {
  const { path, doc } = useDocument.getState();
  return { path, draft: doc.draft };
}

/** The runs kept beside the open document. */
export async function loadRuns(): Promise<void> {
  const { path, draft } = documentPlace();
  try {
    useTraining.setState({ runs: await hostApi.listRuns(path, draft) });
  } catch {
    useTraining.setState({ runs: [] });
  }
}

/** A kept run's own copy of the graph it trained; null when it cannot be read. */
export async function keptRunGraph(runId: string): Promise<Graph | null> {
  try {
    const parsed = parseDesignFile(String(await runFile(runId, 'graph.blockwise.json')));
    return parsed.ok ? parsed.value.graph : null;
  } catch {
    return null;
  }
}
