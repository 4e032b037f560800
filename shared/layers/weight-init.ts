/**
 * How weights start, declared by the layer kinds that have them (initialBounds):
 * "pytorch": PyTorch's default for Conv2d and Linear, U(±1/√fan_in) for kernels and biases.
 * "xavier": Xavier-uniform kernels (d2l's init_cnn, used by its LeNet recipe), biases as PyTorch's.
 */
export type WeightInit = 'pytorch' | 'xavier';

/**
 * The uniform bounds of a kernel of tfjs shape [..., in, out] (a conv's [kh, kw, in, out], a Dense's
 * [in, out]) and of its bias.
 */
export function kernelBounds(
  kernel: readonly number[],
  scheme: WeightInit,
): { kernel: number; bias: number } {
  const fanIn = kernel.slice(0, -1).reduce((a, d) => a * d, 1);
  const receptive = kernel.slice(0, -2).reduce((a, d) => a * d, 1);
  const fanOut = receptive * kernel[kernel.length - 1]!;
  const bias = 1 / Math.sqrt(fanIn);
  return { kernel: scheme === 'xavier' ? Math.sqrt(6 / (fanIn + fanOut)) : bias, bias };
}
