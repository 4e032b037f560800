import type { SpatialMap } from './grad-cam.ts';

/** An RGBA picture, row by row: what the CLI writes as PNG and the app draws on a canvas. */
export interface Picture {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** An image as the dataset holds it: H×W×C bytes, channels last. */
export interface DatasetImage {
  height: number;
  width: number;
  channels: number;
  pixels: Uint8Array;
}

/** Cold to hot: dark blue, blue, cyan, yellow, red; the usual reading of a heat map. */
const RAMP = [
  [0, 0, 96],
  [0, 64, 255],
  [0, 224, 255],
  [255, 224, 0],
  [224, 0, 0],
] as const;

/** The ramp's colour at t in [0, 1]. */
export function heatColour(t: number): [number, number, number] {
  const x = Math.min(Math.max(t, 0), 1) * (RAMP.length - 1);
  const i = Math.min(Math.floor(x), RAMP.length - 2);
  const f = x - i;
  const [a, b] = [RAMP[i]!, RAMP[i + 1]!];
  return [0, 1, 2].map((k) => Math.round(a[k]! + f * (b[k]! - a[k]!))) as [number, number, number];
}

/** The map's value at a point given in [0, 1]² of its extent, bilinear between its cells' centres. */
function sample(map: SpatialMap, u: number, v: number): number {
  const x = Math.min(Math.max(u * map.width - 0.5, 0), map.width - 1);
  const y = Math.min(Math.max(v * map.height - 0.5, 0), map.height - 1);
  const [x0, y0] = [Math.floor(x), Math.floor(y)];
  const [x1, y1] = [Math.min(x0 + 1, map.width - 1), Math.min(y0 + 1, map.height - 1)];
  const at = (xx: number, yy: number) => map.values[yy * map.width + xx]!;
  const top = at(x0, y0) + (x - x0) * (at(x1, y0) - at(x0, y0));
  const bottom = at(x0, y1) + (x - x0) * (at(x1, y1) - at(x0, y1));
  return top + (y - y0) * (bottom - top);
}

/**
 * The image, enlarged `scale` times, under the map (stretched over it, its largest value the hottest):
 * half image, half heat, so both stay readable.
 */
export function heatOverImage(image: DatasetImage, map: SpatialMap, scale = 8): Picture {
  const [width, height] = [image.width * scale, image.height * scale];
  const top = Math.max(...map.values) || 1;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const src = (Math.floor(y / scale) * image.width + Math.floor(x / scale)) * image.channels;
      const grey = image.pixels.subarray(src, src + image.channels);
      const heat = heatColour(sample(map, (x + 0.5) / width, (y + 0.5) / height) / top);
      const o = (y * width + x) * 4;
      for (let k = 0; k < 3; k++)
        rgba[o + k] = Math.round(0.5 * grey[Math.min(k, image.channels - 1)]! + 0.5 * heat[k]!);
      rgba[o + 3] = 255;
    }
  return { width, height, rgba };
}

/** How much a map is enlarged so that its tiles are at least 48 pixels tall: a 7×7 map at 1× is a speck. */
const tileScale = (h: number) => Math.max(1, Math.ceil(48 / h));

/**
 * Channels side by side, `columns` to a row with a one-pixel gap: each channel of an H×W×C block
 * (channels last) scaled from its own smallest value (black) to its largest (white), small maps enlarged.
 */
export function channelGrid(values: Float32Array, [h, w, c]: [number, number, number], columns = 8): Picture {
  const scale = tileScale(h);
  const rows = Math.ceil(c / columns);
  const [tw, th] = [w * scale, h * scale];
  const [width, height] = [Math.min(columns, c) * (tw + 1) - 1, rows * (th + 1) - 1];
  const rgba = new Uint8Array(width * height * 4);
  for (let k = 0; k < c; k++) {
    let [lo, hi] = [Infinity, -Infinity];
    for (let i = k; i < values.length; i += c)
      [lo, hi] = [Math.min(lo, values[i]!), Math.max(hi, values[i]!)];
    const span = hi - lo || 1;
    const [ox, oy] = [(k % columns) * (tw + 1), Math.floor(k / columns) * (th + 1)];
    for (let y = 0; y < th; y++)
      for (let x = 0; x < tw; x++) {
        const source = (Math.floor(y / scale) * w + Math.floor(x / scale)) * c + k;
        const v = Math.round((255 * (values[source]! - lo)) / span);
        rgba.set([v, v, v, 255], ((oy + y) * width + ox + x) * 4);
      }
  }
  return { width, height, rgba };
}
