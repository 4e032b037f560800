import { readIdxTestSet } from '../../../shared/data/idx-dataset.ts';
import type { ImageSet } from '../../../shared/data/dataset.ts';
import { fetchDatasetFile } from './dataset-route.ts';

export interface TestImages {
  set: ImageSet;
  height: number;
  width: number;
}

let loading: Promise<TestImages | string> | null = null;

/**
 * Fashion-MNIST's test images (7.8 MB), read once when first shown: the panel's samples and a run's
 * mistakes come from them. A problem is a sentence, never a throw.
 */
export function testImages(): Promise<TestImages | string> {
  loading ??= readIdxTestSet((name) => fetchDatasetFile(location.origin, 'fashion-mnist', name)).then(
    (r) => (r.ok ? r.value : r.error),
    (e: Error) => `Could not read the test images: ${e.message}`,
  );
  return loading;
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
