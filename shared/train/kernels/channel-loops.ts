/**
 * Per-channel loops over NHWC data (rows of `channels` values) for the JavaScript kernels. Each goes four
 * channels at a time down the rows, with those channels' sums or coefficients in locals, over a tile of rows
 * that stays in the L1 cache: V8 keeps locals in registers but reloads array elements, so this is 2–4 times
 * faster than a row-by-row pass doing `for (c …) out[i + c] = …a[c]…` (1.6M values, 16 channels: totals
 * 1.0 against 4.6 ms, an affine map 2.8 against 12 ms on this machine), and the tiles keep it so at 48–512
 * channels (without them, an affine map took twice as long there). Sums are float64.
 */

/** About 32 KB of float32 rows: each four-channel pass over a tile re-reads cached lines. */
const TILE_VALUES = 8192;

/** The tiles of whole rows over n values: [start, end) pairs. */
function* rowTiles(n: number, channels: number): Generator<[number, number]> {
  const tile = Math.max(1, Math.floor(TILE_VALUES / channels)) * channels;
  for (let start = 0; start < n; start += tile) yield [start, Math.min(n, start + tile)];
}

/** Each channel's Σ a, into `sumA`. */
export function channelTotals(a: Float32Array, channels: number, sumA: Float32Array): void {
  const totals = new Float64Array(channels);
  channelProductTotals(a, null, channels, totals, null);
  sumA.set(totals);
}

/** Each channel's Σ a and, with b (of a's shape), Σ a·b, in one pass. */
export function channelProductTotals(
  a: Float32Array,
  b: Float32Array | null,
  channels: number,
  sumA: Float64Array,
  sumAB: Float64Array | null,
): void {
  sumA.fill(0);
  sumAB?.fill(0);
  for (const [start, end] of rowTiles(a.length, channels)) {
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      if (b && sumAB) addFourProducts(a, b, start + c, end, channels, sumA, sumAB);
      else addFour(a, start + c, end, channels, sumA);
    }
    for (; c < channels; c++) {
      for (let i = start + c; i < end; i += channels) {
        sumA[c] = sumA[c]! + a[i]!;
        if (b && sumAB) sumAB[c] = sumAB[c]! + a[i]! * b[i]!;
      }
    }
  }
}

/** Adds a's values of channels c…c+3 (from index `from`, c = from mod channels) into sumA. */
function addFour(a: Float32Array, from: number, end: number, channels: number, sumA: Float64Array): void {
  const c = from % channels;
  let s0 = sumA[c]!;
  let s1 = sumA[c + 1]!;
  let s2 = sumA[c + 2]!;
  let s3 = sumA[c + 3]!;
  for (let i = from; i < end; i += channels) {
    s0 += a[i]!;
    s1 += a[i + 1]!;
    s2 += a[i + 2]!;
    s3 += a[i + 3]!;
  }
  sumA[c] = s0;
  sumA[c + 1] = s1;
  sumA[c + 2] = s2;
  sumA[c + 3] = s3;
}

/** As addFour, and a·b into sumAB. */
function addFourProducts(
  a: Float32Array,
  b: Float32Array,
  from: number,
  end: number,
  channels: number,
  sumA: Float64Array,
  sumAB: Float64Array,
): void {
  const c = from % channels;
  let [a0, a1, a2, a3] = [sumA[c]!, sumA[c + 1]!, sumA[c + 2]!, sumA[c + 3]!];
  let [p0, p1, p2, p3] = [sumAB[c]!, sumAB[c + 1]!, sumAB[c + 2]!, sumAB[c + 3]!];
  for (let i = from; i < end; i += channels) {
    const x0 = a[i]!;
    const x1 = a[i + 1]!;
    const x2 = a[i + 2]!;
    const x3 = a[i + 3]!;
    a0 += x0;
    a1 += x1;
    a2 += x2;
    a3 += x3;
    p0 += x0 * b[i]!;
    p1 += x1 * b[i + 1]!;
    p2 += x2 * b[i + 2]!;
    p3 += x3 * b[i + 3]!;
  }
  sumA.set([a0, a1, a2, a3], c);
  sumAB.set([p0, p1, p2, p3], c);
}

/** out = a·u + b·v + d per channel (a, b, d: one value per channel; u, v and out of one shape). */
export function channelAffine(
  out: Float32Array,
  u: Float32Array,
  v: Float32Array,
  [a, b, d]: [Float64Array, Float64Array, Float64Array],
): void {
  const channels = a.length;
  for (const [start, end] of rowTiles(out.length, channels)) {
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      const [a0, a1, a2, a3] = [a[c]!, a[c + 1]!, a[c + 2]!, a[c + 3]!];
      const [b0, b1, b2, b3] = [b[c]!, b[c + 1]!, b[c + 2]!, b[c + 3]!];
      const [d0, d1, d2, d3] = [d[c]!, d[c + 1]!, d[c + 2]!, d[c + 3]!];
      for (let i = start + c; i < end; i += channels) {
        out[i] = a0 * u[i]! + b0 * v[i]! + d0;
        out[i + 1] = a1 * u[i + 1]! + b1 * v[i + 1]! + d1;
        out[i + 2] = a2 * u[i + 2]! + b2 * v[i + 2]! + d2;
        out[i + 3] = a3 * u[i + 3]! + b3 * v[i + 3]! + d3;
      }
    }
    for (; c < channels; c++) {
      for (let i = start + c; i < end; i += channels) out[i] = a[c]! * u[i]! + b[c]! * v[i]! + d[c]!;
    }
  }
}

/** Copies one pixel's `channels` values, src[from…] to dst[to…], four at a time. */
export function copyPixel(
  dst: Float32Array,
  to: number,
  src: Float32Array,
  from: number,
  channels: number,
): void {
  let ch = 0;
  for (; ch + 4 <= channels; ch += 4) {
    dst[to + ch] = src[from + ch]!;
    dst[to + ch + 1] = src[from + ch + 1]!;
    dst[to + ch + 2] = src[from + ch + 2]!;
    dst[to + ch + 3] = src[from + ch + 3]!;
  }
  for (; ch < channels; ch++) dst[to + ch] = src[from + ch]!;
}

/** Adds one pixel's `channels` values times `scale`, src[from…] into dst[to…], four at a time. */
export function addScaledPixel(
  dst: Float32Array,
  to: number,
  src: Float32Array,
  from: number,
  channels: number,
  scale: number,
): void {
  let ch = 0;
  for (; ch + 4 <= channels; ch += 4) {
    dst[to + ch] = dst[to + ch]! + src[from + ch]! * scale;
    dst[to + ch + 1] = dst[to + ch + 1]! + src[from + ch + 1]! * scale;
    dst[to + ch + 2] = dst[to + ch + 2]! + src[from + ch + 2]! * scale;
    dst[to + ch + 3] = dst[to + ch + 3]! + src[from + ch + 3]! * scale;
  }
  for (; ch < channels; ch++) dst[to + ch] = dst[to + ch]! + src[from + ch]! * scale;
}
