import type { FeatureOrder, WeightArray } from './kind.ts';

/**
 * Weight layouts between tfjs (channels last) and PyTorch (channels first), for the layers' torchWeights.
 */

/** A tfjs conv kernel [kh, kw, in, out] as PyTorch's weight [out, in, kh, kw]. */
export function convKernelToTorch({ shape, values }: WeightArray): WeightArray {
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  const out = new Float32Array(values.length);
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++)
          out[((o * cin + i) * kh + h) * kw + w] = values[((h * kw + w) * cin + i) * cout + o]!;
  return { shape: [cout, cin, kh, kw], values: out };
}

/** A tfjs dense kernel [in, out] as PyTorch's weight [out, in], its inputs in PyTorch's feature order. */
export function denseKernelToTorch({ shape, values }: WeightArray, order: FeatureOrder): WeightArray {
  const [cin, cout] = shape as [number, number];
  const out = new Float32Array(values.length);
  for (let i = 0; i < cin; i++) {
    const from = order ? order[i]! : i;
    for (let o = 0; o < cout; o++) out[o * cin + i] = values[from * cout + o]!;
  }
  return { shape: [cout, cin], values: out };
}

/** A per-feature vector (bias, BatchNorm statistics) in PyTorch's feature order. */
export function featuresToTorch(w: WeightArray, order: FeatureOrder): WeightArray {
  return order ? { shape: w.shape, values: Float32Array.from(order, (from) => w.values[from]!) } : w;
}

/** tfjs's feature order when a C×H×W image is flattened (H, W, C), seen from PyTorch's (C, H, W). */
export function flattenOrder([c, h, w]: readonly number[]): Int32Array {
  const order = new Int32Array(c! * h! * w!);
  for (let ci = 0; ci < c!; ci++)
    for (let hi = 0; hi < h!; hi++)
      for (let wi = 0; wi < w!; wi++) order[(ci * h! + hi) * w! + wi] = (hi * w! + wi) * c! + ci;
  return order;
}

/** Whether two feature orders are the same (null is the identity). */
export function sameOrder(a: FeatureOrder, b: FeatureOrder): boolean {
  if (a === null || b === null) return a === b || (a ?? b)!.every((v, i) => v === i);
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The weight of a role, which the layer must have. */
export function role(weights: ReadonlyMap<string, WeightArray>, name: string): WeightArray {
  const w = weights.get(name);
  if (!w) throw new Error(`no ${name} weights`);
  return w;
}
