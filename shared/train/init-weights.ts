import { tensor, tidy } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { SeededRandom } from '../random.ts';

/**
 * "pytorch": PyTorch's default for Conv2d and Linear, U(±1/√fan_in) for kernels and biases.
 * "xavier": Xavier-uniform kernels (d2l's init_cnn, used by its LeNet recipe), biases as PyTorch's.
 * Drawn from the seed, so a run starts from the same weights on every backend.
 */
export type WeightInit = 'pytorch' | 'xavier';

export function initializeWeights(model: LayersModel, scheme: WeightInit, seed: number): void {
  const rng = new SeededRandom(seed);
  for (const layer of model.layers) {
    // originalName: tfjs suffixes the name (kernel_1) when another model already used it.
    const kernel = layer.weights.find((w) => w.originalName.endsWith('/kernel'));
    if (!kernel) continue;
    const shape = kernel.shape as number[];
    const fanIn = shape.slice(0, -1).reduce((a, d) => a * d, 1);
    const fanOut = shape.length === 4 ? shape[0]! * shape[1]! * shape[3]! : shape[shape.length - 1]!;
    const bound = scheme === 'xavier' ? Math.sqrt(6 / (fanIn + fanOut)) : 1 / Math.sqrt(fanIn);
    write(kernel, shape, bound, rng);
    const bias = layer.weights.find((w) => w.originalName.endsWith('/bias'));
    if (bias) write(bias, bias.shape as number[], 1 / Math.sqrt(fanIn), rng);
  }
}

function write(
  target: { write(t: ReturnType<typeof tensor>): void },
  shape: number[],
  bound: number,
  rng: SeededRandom,
): void {
  const values = new Float32Array(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < values.length; i++) values[i] = (rng.next() * 2 - 1) * bound;
  tidy(() => target.write(tensor(values, shape)));
}
