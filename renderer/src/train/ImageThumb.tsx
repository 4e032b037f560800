import { useEffect, useRef } from 'react';
import type { TestImages } from './test-images.ts';

/** One grey dataset image, drawn pixel for pixel and shown at twice its size. */
export function ImageThumb({ images, index, title }: { images: TestImages; index: number; title: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { set, width, height } = images;
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const pixels = context.createImageData(width, height);
    const at = index * width * height;
    for (let i = 0; i < width * height; i++) {
      const v = set.images[at + i]!;
      pixels.data.set([v, v, v, 255], 4 * i);
    }
    context.putImageData(pixels, 0, 0);
  }, [set, index, width, height]);
  return <canvas ref={canvas} width={width} height={height} className="thumb" title={title} />;
}
