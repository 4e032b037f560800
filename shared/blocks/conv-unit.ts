import type { GraphBuilder, Source } from '../graph/graph-builder.ts';

export interface ConvUnit {
  filters: number;
  kernel: number;
  stride?: number;
  padding?: number;
}

/** Conv + ReLU, or, with batch norm, a bias-free Conv-BN-ReLU unit (the bias would be cancelled by BN). */
export function convRelu(b: GraphBuilder, from: Source, unit: ConvUnit, batchNorm: boolean): Source {
  const conv = {
    kernel: unit.kernel,
    filters: unit.filters,
    stride: unit.stride ?? 1,
    padding: unit.padding ?? 0,
  };
  if (!batchNorm) return b.add('Conv2D', { ...conv, activation: 'relu' }, from);
  return b.chain(from, [
    ['Conv2D', { ...conv, bias: false }],
    ['BatchNorm', {}],
    ['Activation', { fn: 'relu' }],
  ]);
}

/** BatchNorm, ReLU, then a conv: DenseNet's pre-activation unit. */
export function bnReluConv(b: GraphBuilder, from: Source, unit: ConvUnit, bias: boolean): Source {
  return b.chain(from, [
    ['BatchNorm', {}],
    ['Activation', { fn: 'relu' }],
    ['Conv2D', { filters: unit.filters, kernel: unit.kernel, padding: unit.padding ?? 0, bias }],
  ]);
}
