import type { Dataset, ImageSet } from './dataset.ts';
import { imageSize } from './dataset.ts';

export interface SamplePreview {
  label: number;
  className: string;
  /** H×W×C bytes of one image. */
  pixels: Uint8Array;
}

/** The first `perClass` images of each class: what a dataset looks like, in class order. */
export function previewSamples(data: Dataset, perClass = 1, set: ImageSet = data.train): SamplePreview[] {
  const size = imageSize(data);
  const taken = new Array<number>(data.classes.length).fill(0);
  const out: SamplePreview[] = [];
  for (let i = 0; i < set.count && out.length < perClass * data.classes.length; i++) {
    const label = set.labels[i]!;
    if (label >= taken.length || taken[label]! >= perClass) continue;
    taken[label]! += 1;
    out.push({
      label,
      className: data.classes[label]!,
      pixels: set.images.subarray(i * size, (i + 1) * size),
    });
  }
  return out.sort((a, b) => a.label - b.label);
}

/** Images per class, for a dataset's summary. */
export function classCounts(data: Dataset, set: ImageSet): number[] {
  const counts = new Array<number>(data.classes.length).fill(0);
  for (const l of set.labels) if (l < counts.length) counts[l]! += 1;
  return counts;
}
