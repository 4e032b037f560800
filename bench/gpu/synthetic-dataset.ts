import { FASHION_MNIST_CLASSES, type Dataset, type ImageSet } from '../../shared/data/dataset.ts';
import { SeededRandom } from '../../shared/random.ts';

function images(random: SeededRandom, count: number, [c, h, w]: [number, number, number]): ImageSet {
  const pixels = new Uint8Array(count * c * h * w);
  for (let i = 0; i < pixels.length; i++) pixels[i] = random.next() * 256;
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % 10;
  return { images: pixels, labels, count };
}

/**
 * Random images of the network's input size in ten classes: speed does not depend on what the pixels show,
 * and a bare GPU machine has no dataset (nor the network to fetch one).
 */
export function syntheticDataset(shape: [number, number, number], train: number, test: number): Dataset {
  const random = new SeededRandom(1);
  return {
    name: 'synthetic',
    classes: [...FASHION_MNIST_CLASSES],
    shape,
    train: images(random, train, shape),
    test: images(random, test, shape),
  };
}
