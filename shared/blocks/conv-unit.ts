import { z } from 'zod';
import type { ChainStep, GraphBuilder, Source } from '../graph/graph-builder.ts';
import type { LayerParams } from '../layers/registry.ts';

export interface ConvUnit {
  filters: number;
  kernel: number;
  stride?: number;
  padding?: number;
  /** Output channels as a share of the input's (DenseNet's compression), instead of `filters`. */
  filtersRatio?: number | null;
}

/** BatchNorm's settings in PyTorch's convention, settable in every block that has BatchNorm. */
export const batchNormOptions = {
  /** torchvision's GoogLeNet and the 004 article's nets use 1e-3. */
  eps: z.number().gt(0).max(1).default(1e-5),
  momentum: z.number().gt(0).lt(1).default(0.1),
};
export type BatchNormOptions = { eps: number; momentum: number };

/** The BatchNorm layer a block puts after a conv, with the block's settings. */
export const batchNormLayer = ({ eps, momentum }: BatchNormOptions): ChainStep<LayerParams> => [
  'BatchNorm',
  { eps, momentum },
];

/**
 * Conv + ReLU, or, with batch norm, Conv-BN-ReLU (bias-free by default: BN cancels the bias, but the 004
 * article's units keep it).
 */
export function convRelu(
  b: GraphBuilder<LayerParams>,
  from: Source,
  unit: ConvUnit,
  batchNorm: (BatchNormOptions & { bias: boolean }) | null,
): Source {
  const conv = {
    kernel: unit.kernel,
    filters: unit.filters,
    stride: unit.stride ?? 1,
    padding: unit.padding ?? 0,
  };
  if (!batchNorm) return b.add('Conv2D', { ...conv, activation: 'relu' }, from);
  return b.chain(from, [
    ['Conv2D', { ...conv, bias: batchNorm.bias }],
    batchNormLayer(batchNorm),
    ['Activation', { fn: 'relu' }],
  ]);
}

/** BatchNorm, ReLU, then a conv: DenseNet's pre-activation unit. */
export function bnReluConv(
  b: GraphBuilder<LayerParams>,
  from: Source,
  unit: ConvUnit,
  options: BatchNormOptions & { bias: boolean },
): Source {
  const ratio = unit.filtersRatio ? { filtersRatio: unit.filtersRatio } : {};
  return b.chain(from, [
    batchNormLayer(options),
    ['Activation', { fn: 'relu' }],
    [
      'Conv2D',
      {
        filters: unit.filters,
        kernel: unit.kernel,
        padding: unit.padding ?? 0,
        bias: options.bias,
        ...ratio,
      },
    ],
  ]);
}
