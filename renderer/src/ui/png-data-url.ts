import type { Diagram } from '../../../shared/export/diagram-svg.ts';

/** A drawing rasterized in the page: the PNG export is the SVG export, pixel for pixel. */
export async function pngDataUrl({ svg, width, height }: Diagram): Promise<string> {
  // Twice the size for sharp text, but never past what a canvas can hold.
  const scale = Math.min(2, 8192 / Math.max(width, height));
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = Object.assign(document.createElement('canvas'), {
    width: Math.ceil(width * scale),
    height: Math.ceil(height * scale),
  });
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw the PNG');
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  return canvas.toDataURL('image/png');
}
