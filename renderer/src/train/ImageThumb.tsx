import { useEffect, useRef } from 'react';
import type { TestImages } from '../training/test-images.ts';

/** One dataset image (grey or colour), drawn pixel for pixel and shown at twice its size. */
export function ImageThumb({ images, index, title }: { images: TestImages; index: number; title: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { set, shape } = images;
  const [channels, height, width] = shape;
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const pixels = context.createImageData(width, height);
    const at = index * width * height * channels;
    for (let i = 0; i < width * height; i++) {
      const r = set.images[at + i * channels]!;
      const g = channels === 3 ? set.images[at + i * 3 + 1]! : r;
      const b = channels === 3 ? set.images[at + i * 3 + 2]! : r;
      pixels.data.set([r, g, b, 255], 4 * i);
    }
    context.putImageData(pixels, 0, 0);
  }, [set, index, width, height, channels]);
  return <canvas ref={canvas} width={width} height={height} className="thumb" title={title} />;
}
