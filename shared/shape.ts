/** A tensor shape without the batch dimension, channels first: [C, H, W] for images, [F] for vectors. */
export type Shape = readonly number[];

export type ShapeOrder = 'CHW' | 'HWC';

export function elementCount(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function isImage(shape: Shape): shape is readonly [number, number, number] {
  return shape.length === 3;
}

/** Shapes are shown C×H×W by default; H×W×C is a display setting (tfjs runs channels-last inside). */
export function formatShape(shape: Shape, order: ShapeOrder = 'CHW'): string {
  const dims = order === 'HWC' && isImage(shape) ? [shape[1], shape[2], shape[0]] : shape;
  return dims.join('×');
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
