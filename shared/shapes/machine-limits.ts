import type { ParamCount, ShapeProblem } from '../layers/kind.ts';
import { formatBytes, formatCount } from './quantity-format.ts';

/**
 * What one machine can build and train, checked before anything is allocated: a graph past these is
 * diagnosed at the node, never attempted (it would exhaust memory or overflow the stack inside tfjs).
 */
export const MACHINE_LIMITS = {
  /** Weights of one layer: 2^28 floats, 1 GiB (VGG-16's largest layer has 103M). */
  layerWeights: 2 ** 28,
  /** One layer's output for one sample: 2^27 floats, 512 MiB (VGG-16's largest is 3.2M). */
  activationElements: 2 ** 27,
  /** Layers along the longest path: tfjs builds and runs models recursively (it overflows near 5,000). */
  depth: 2000,
} as const;

/** The problem with one layer's size or place, or null when a machine can hold it. */
export function machineLimitProblem(
  title: string,
  params: ParamCount,
  outputElements: number,
  depth: number,
): ShapeProblem | null {
  const weights = params.trainable + params.nonTrainable;
  if (weights > MACHINE_LIMITS.layerWeights)
    return {
      code: 'tooLarge',
      message: `This ${title} would have ${formatCount(weights)} weights (${formatBytes(4 * weights)}), more than one layer can hold here (${formatCount(MACHINE_LIMITS.layerWeights)}). Use fewer filters or units, or shrink its input first (pooling, a stride).`,
    };
  if (outputElements > MACHINE_LIMITS.activationElements)
    return {
      code: 'tooLarge',
      message: `This ${title}'s output has ${formatCount(outputElements)} values for one image (${formatBytes(4 * outputElements)}), more than memory allows (${formatCount(MACHINE_LIMITS.activationElements)}). Use a smaller input or downsample before this layer.`,
    };
  if (depth > MACHINE_LIMITS.depth)
    return {
      code: 'tooDeep',
      message: `This layer is ${formatCount(depth)} layers deep; tfjs builds and trains networks at most ${formatCount(MACHINE_LIMITS.depth)} layers deep. Make the network shallower.`,
    };
  return null;
}
