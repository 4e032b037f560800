import { joinedWeights, weightFileNames } from '../../../shared/import/imported-weights.ts';
import { useDocument } from '../document/document-store.ts';
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
  useTraining.setState({ open: true });
  const imported = {
    modelJson: model.text,
    weights: joinedWeights(parts),
    weightSources: model.weightSources,
  };
  if (!startTraining({ imported: { ...imported, from: model.fileName } }))
    notify(
      'error',
      `The weights of ${model.fileName} were not kept: the network does not fit ${chosenDataset(useTraining.getState())?.name ?? 'the chosen dataset'} (see the Train panel). Choose a dataset that fits, then import again.`,
    );
}
