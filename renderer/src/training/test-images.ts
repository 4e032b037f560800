import { readIdxTestSet } from '../../../shared/data/idx-dataset.ts';
import type { ImageSet } from '../../../shared/data/dataset.ts';
import { fetchDatasetFile } from './dataset-route.ts';
import { streamGunzip } from './stream-gunzip.ts';

export interface TestImages {
  set: ImageSet;
  /** C×H×W of one image (1 or 3 channels). */
  shape: [number, number, number];
}

const loading = new Map<string, Promise<TestImages | string>>();

/**
 * A dataset's test images (Fashion-MNIST's: 7.8 MB), read once when first shown: the panel's samples and a
 * run's mistakes come from them. A problem is a sentence, never a throw.
 */
export function testImages(datasetId: string): Promise<TestImages | string> {
  let images = loading.get(datasetId);
  if (!images) {
    images = readIdxTestSet((name) => fetchDatasetFile(location.origin, datasetId, name), streamGunzip).then(
      (r) => (r.ok ? r.value : r.error),
      (e: Error) => `Could not read the test images: ${e.message}`,
    );
    loading.set(datasetId, images);
  }
  return images;
}

/** The first `perClass` test images of each class. */
export function samplesByClass(set: ImageSet, classes: number, perClass: number): number[][] {
  const picked = Array.from({ length: classes }, () => [] as number[]);
  for (let i = 0; i < set.count; i++) {
    const list = picked[set.labels[i]!];
    if (list && list.length < perClass) list.push(i);
  }
  return picked;
}
