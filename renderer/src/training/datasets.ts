import type { DatasetOffer } from '../../../shared/api/designer-api.ts';
import { hostApi } from '../host/host-api.ts';
import { useTraining } from './training-store.ts';

/** The datasets the host offers; the chosen one stays chosen while it is offered. */
export async function loadDatasets(): Promise<void> {
  try {
    offer(await hostApi.listDatasets());
  } catch {
    // Fashion-MNIST stays offered: the host says what is wrong with it when a run starts.
  }
}

/** The datasets the host offers now; the chosen one stays chosen while it is among them. */
function offer(datasets: DatasetOffer[]): void {
  useTraining.setState((s) => ({
    datasets,
    datasetId: datasets.some((d) => d.id === s.datasetId) ? s.datasetId : 'fashion-mnist',
  }));
}

/** Stops offering a dataset added from elsewhere (its folder stays); returns why not, as the host says it. */
export async function removeDataset(id: string): Promise<string | null> {
  try {
    offer(await hostApi.removeDataset(id));
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Adds a dataset folder and chooses it: the desktop app's dialog (no path), or the path the user typed in
 * browser mode. Returns why it was not added, as the host says it, or null (added, or cancelled).
 */
export async function addDataset(typedPath: string | null): Promise<string | null> {
  try {
    const offer = await hostApi.addDataset(typedPath);
    if (!offer) return null;
    await loadDatasets();
    useTraining.setState({ datasetId: offer.id });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
