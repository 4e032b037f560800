import { MAX_STATE_DICT_CHARS, type ConvertedStateDict } from '../../../shared/api/designer-api.ts';
import { joinedWeights, weightFileNames } from '../../../shared/import/imported-weights.ts';
import type { TrainRequest } from '../../../shared/worker/worker-protocol.ts';
import { useDocument } from '../document/document-store.ts';
import { fromBase64, toBase64 } from '../host/download.ts';
import { hostApi } from '../host/host-api.ts';
import { startTraining } from '../training/training-actions.ts';
import { chosenDataset, useTraining } from '../training/training-store.ts';

const notify = (kind: 'info' | 'error', text: string) => useDocument.getState().notify({ kind, text });

/**
 * An imported tfjs model's weights, when its weight files were picked with its model.json: tested on the
 * Train panel's dataset in the training worker and kept as a run of no epochs (Continue trains on from it).
 */
export async function keepImportedWeights(
  model: { text: string; fileName: string; weightSources: Record<string, string> },
  companions: readonly File[],
): Promise<void> {
  const names = weightFileNames(model.text);
  if (!names.ok) return notify('error', `The weights of ${model.fileName} were not read: ${names.error}.`);
  if (names.value.length === 0) return;
  const byName = new Map(companions.map((f) => [f.name, f]));
  if (names.value.some((n) => !byName.has(n)))
    return notify(
      'info',
      `Imported the layers of ${model.fileName} without its weights. To keep them as a run, choose Import… again and pick ${[model.fileName, ...names.value].join(' and ')} together.`,
    );
  const parts = await Promise.all(
    names.value.map(async (n) => new Uint8Array(await byName.get(n)!.arrayBuffer())),
  );
  keepAsRun({
    modelJson: model.text,
    weights: joinedWeights(parts),
    weightSources: model.weightSources,
    from: model.fileName,
  });
}

/** The characters of base64 text that `bytes` bytes become. */
const base64Chars = (bytes: number) => Math.ceil(bytes / 3) * 4;

/**
 * A PyTorch state_dict file (.pth / .pt) the user picked: converted by the host (PyTorch reads it there),
 * then put into the open design by the exported model's names, tested on the Train panel's dataset in the
 * training worker and kept as a run of no epochs. What goes wrong is said in the notice bar.
 */
export async function keepImportedStateDict(file: File): Promise<void> {
  if (base64Chars(file.size) > MAX_STATE_DICT_CHARS)
    return notify(
      'error',
      `${file.name} was not imported: it is larger than the ${Math.floor((MAX_STATE_DICT_CHARS * 3) / 4 / 2 ** 20)} MiB the app reads.`,
    );
  notify('info', `Reading ${file.name} with PyTorch…`);
  let converted: ConvertedStateDict;
  try {
    const base64 = toBase64(new Uint8Array(await file.arrayBuffer()));
    converted = await hostApi.convertStateDict({ fileName: file.name, base64 });
  } catch (e) {
    return notify('error', sentence((e as Error).message));
  }
  // Read: the Train panel says the rest (testing the weights, the run kept).
  useDocument.getState().notify(null);
  keepAsRun({
    torchState: { index: converted.index, values: fromBase64(converted.base64) },
    from: file.name,
  });
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** Imported weights tested in the training worker and kept as a run; said when the design does not fit the data. */
function keepAsRun(imported: NonNullable<Extract<TrainRequest, { kind: 'start' }>['imported']>): void {
  useTraining.setState({ open: true });
  if (!startTraining({ imported }))
    notify(
      'error',
      `The weights of ${imported.from} were not kept: the network does not fit ${chosenDataset(useTraining.getState())?.name ?? 'the chosen dataset'} (see the Train panel). Choose a dataset that fits, then import again.`,
    );
}
