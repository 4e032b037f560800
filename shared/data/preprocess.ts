import { z } from 'zod';
import {
  broadcastTo,
  image,
  reverse,
  tensor4d,
  tidy,
  tile,
  where,
  tensor1d,
  mean,
  sub,
  mul,
  add,
  clipByValue,
  pad,
  type Tensor4D,
  type Tensor1D,
} from '@tensorflow/tfjs-core';
import type { SeededRandom } from '../random.ts';
import type { Dataset, ImageSet } from './dataset.ts';
import { imageSize } from './dataset.ts';

export const preprocessSchema = z.object({
  /** Bilinear resize of each batch to size×size (the classic recipes feed 28×28 images to 96 or 224 nets). */
  resize: z.number().int().min(4).max(1024).nullable().default(null),
  /** [mean, std] in 0–1 units, per channel or one for all; null scales to 0–1 only (d2l's ToTensor). */
  normalize: z.tuple([z.number(), z.number().positive()]).nullable().default(null),
});

export const augmentSchema = z.object({
  flip: z.boolean().default(false),
  /** Pad by this many pixels, then crop a random window of the original size. */
  cropPadding: z.number().int().min(0).max(64).default(0),
  /** Largest random change of brightness (added) and of contrast (a factor 1 ± contrast), in 0–1 units. */
  brightness: z.number().min(0).max(1).default(0),
  contrast: z.number().min(0).max(1).default(0),
});

export type Preprocess = z.output<typeof preprocessSchema>;
export type Augment = z.output<typeof augmentSchema>;

/** What a batch must look like for the network: its Input layer's C×H×W. */
export interface NetworkInput {
  channels: number;
  height: number;
  width: number;
}

export interface Batch {
  /** N×H×W×C float32, channels-last as tfjs runs. */
  x: Tensor4D;
  labels: Tensor1D;
}

/** The problems that make a dataset unusable for a network, said as what to change. */
export function checkCompatible(data: Dataset, input: NetworkInput, pre: Preprocess): string | null {
  const [c, h, w] = data.shape;
  const [rh, rw] = pre.resize ? [pre.resize, pre.resize] : [h, w];
  if (rh !== input.height || rw !== input.width) {
    return `The network wants ${input.height}×${input.width} images, the dataset gives ${rh}×${rw}. Set resize to ${input.height} (square inputs), or change the Input layer.`;
  }
  if (c !== input.channels && !(c === 1 && input.channels === 3)) {
    return `The network wants ${input.channels} channel(s), the dataset has ${c}. Change the Input layer's channels to ${c}.`;
  }
  return null;
}

/**
 * One batch, made when it is needed (never the whole resized set): bytes → 0–1 floats → resize →
 * grey replicated to RGB when the network wants 3 channels → augmentation → normalization.
 */
export function makeBatch(
  set: ImageSet,
  indices: ArrayLike<number>,
  data: Pick<Dataset, 'shape'>,
  input: NetworkInput,
  pre: Preprocess,
  augment: Augment | null,
  rng: SeededRandom,
): Batch {
  const [c, h, w] = data.shape;
  const size = imageSize(data);
  const n = indices.length;
  const pixels = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = indices[i]!;
    const src = set.images.subarray(k * size, (k + 1) * size);
    for (let j = 0; j < size; j++) pixels[i * size + j] = src[j]! / 255;
    labels[i] = set.labels[k]!;
  }
  // Random draws happen here, in JS, so that a seed gives the same batches on every backend.
  const draws = augment ? drawAugmentation(n, augment, rng) : null;
  const x = tidy(() => {
    let t = tensor4d(pixels, [n, h, w, c]);
    if (pre.resize && (pre.resize !== h || pre.resize !== w))
      t = image.resizeBilinear(t, [pre.resize, pre.resize], false, true);
    if (c === 1 && input.channels === 3) t = tile(t, [1, 1, 1, 3]);
    if (augment && draws) t = applyAugmentation(t, augment, draws);
    if (pre.normalize) t = mul(sub(t, pre.normalize[0]), 1 / pre.normalize[1]);
    return t;
  });
  return { x, labels: tensor1d(labels, 'int32') };
}

interface Draws {
  flip: boolean[];
  offsets: [number, number][];
  brightness: number[];
  contrast: number[];
}

function drawAugmentation(n: number, a: Augment, rng: SeededRandom): Draws {
  const span = 2 * a.cropPadding + 1;
  return {
    flip: Array.from({ length: n }, () => a.flip && rng.next() < 0.5),
    offsets: Array.from({ length: n }, () => (a.cropPadding ? [rng.int(span), rng.int(span)] : [0, 0])),
    brightness: Array.from({ length: n }, () => (rng.next() * 2 - 1) * a.brightness),
    contrast: Array.from({ length: n }, () => 1 + (rng.next() * 2 - 1) * a.contrast),
  };
}

function applyAugmentation(x: Tensor4D, a: Augment, d: Draws): Tensor4D {
  const [n, h, w] = x.shape;
  let t = x;
  if (a.flip) {
    const mask = broadcastTo(tensor4d(d.flip.map(Number), [n, 1, 1, 1], 'bool'), t.shape);
    t = where(mask, reverse(t, 2), t) as Tensor4D;
  }
  if (a.cropPadding) {
    const p = a.cropPadding;
    const padded = pad(t, [
      [0, 0],
      [p, p],
      [p, p],
      [0, 0],
    ]);
    const [ph, pw] = [h + 2 * p - 1, w + 2 * p - 1];
    // Boxes of exactly h×w pixels: bilinear sampling lands on whole pixels, so this is a plain crop.
    const boxes = d.offsets.map(([oy, ox]) => [oy / ph, ox / pw, (oy + h - 1) / ph, (ox + w - 1) / pw]);
    t = image.cropAndResize(
      padded,
      boxes,
      Array.from({ length: n }, (_, i) => i),
      [h, w],
    );
  }
  if (a.contrast || a.brightness) {
    const imageMean = mean(t, [1, 2, 3], true);
    const contrast = tensor4d(d.contrast, [n, 1, 1, 1]);
    const brightness = tensor4d(d.brightness, [n, 1, 1, 1]);
    t = clipByValue(add(add(mul(sub(t, imageMean), contrast), imageMean), brightness), 0, 1) as Tensor4D;
  }
  return t;
}
