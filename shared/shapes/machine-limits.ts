import type { ParamCount, ShapeProblem } from '../layers/kind.ts';
import type { Diagnostic } from './diagnostic.ts';
import { formatBytes, formatCount } from './quantity-format.ts';

/**
 * What one machine can build and train, checked before anything is allocated: a graph past these is
 * diagnosed at the node, never attempted (it would exhaust memory or overflow the stack inside tfjs).
 */
export const MACHINE_LIMITS = {
  /** Weights of one layer: 2^28 floats, 1 GiB (VGG-16's largest layer has 103M). */
  layerWeights: 2 ** 28,
  /** Weights of the whole network: 2^28 floats too (VGG-19 has 144M); training holds 2–4 times as much. */
  networkWeights: 2 ** 28,
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

/**
 * The whole network's weights against what a machine can hold, as a problem of the graph naming the largest
 * nodes: layers each under the limit can add up past it (three Dense(16383) passed, then training was killed).
 */
export function networkLimitDiagnostics(nodeWeights: ReadonlyMap<string, number>): Diagnostic[] {
  const total = [...nodeWeights.values()].reduce((a, b) => a + b, 0);
  if (total <= MACHINE_LIMITS.networkWeights) return [];
  const largest = [...nodeWeights]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([id, n]) => `${id} (${formatCount(n)})`);
  return [
    {
      severity: 'error',
      code: 'tooLarge',
      message: `The network would have ${formatCount(total)} weights (${formatBytes(4 * total)}), more than a network can hold here (${formatCount(MACHINE_LIMITS.networkWeights)}). The largest: ${largest.join(', ')}. Use fewer units or filters there, or shrink their inputs first (pooling, a stride).`,
    },
  ];
}
