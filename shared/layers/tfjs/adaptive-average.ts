import {
  keep,
  matMul,
  reshape,
  serialization,
  tensor2d,
  tidy,
  transpose,
  type Tensor,
  type Tensor2D,
} from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';

type LayerArgs = ConstructorParameters<typeof layers.Layer>[0];

export interface AdaptiveAverageArgs extends NonNullable<LayerArgs> {
  /** Input height and width, and the output's. */
  inputSize: [number, number];
  outputSize: [number, number];
}

/**
 * PyTorch's averaging matrix along one axis: output i averages inputs floor(i·n/k) to ceil((i+1)·n/k) − 1,
 * as AdaptiveAvgPool2d does. Returned transposed, n × k, to multiply on the right.
 */
export function adaptiveAveraging(n: number, k: number): number[][] {
  const m = Array.from({ length: n }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    const start = Math.floor((i * n) / k);
    const end = Math.ceil(((i + 1) * n) / k);
    for (let j = start; j < end; j++) m[j]![i] = 1 / (end - start);
  }
  return m;
}

/**
 * AdaptiveAvgPool2d for sizes that do not divide the input (where they do, plain average pooling is the same
 * and faster): two matrix products, one per axis, so every backend has its gradient.
 */
export class AdaptiveAverage extends layers.Layer {
  static readonly className = 'BlockwiseAdaptiveAverage';
  private readonly inputSize: [number, number];
  private readonly outputSize: [number, number];
  private matrices: [Tensor2D, Tensor2D] | null = null;

  constructor(args: AdaptiveAverageArgs) {
    super(args);
    this.inputSize = args.inputSize;
    this.outputSize = args.outputSize;
  }

  override computeOutputShape(shape: (number | null)[]): (number | null)[] {
    return [shape[0] ?? null, ...this.outputSize, shape[3] ?? null];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [[h, w], [kh, kw]] = [this.inputSize, this.outputSize];
    // Built once and kept: call() runs inside the caller's tidy, which would otherwise free them.
    this.matrices ??= [keep(tensor2d(adaptiveAveraging(h, kh))), keep(tensor2d(adaptiveAveraging(w, kw)))];
    const [alongH, alongW] = this.matrices;
    return tidy(() => {
      const [n, c] = [x.shape[0]!, x.shape[3]!];
      // N,H,W,C → (N·C·W) × H, averaged along H; then (N·C·kh) × W, averaged along W.
      const byH = matMul(reshape(transpose(x, [0, 3, 2, 1]), [n * c * w, h]), alongH);
      const rows = reshape(transpose(reshape(byH, [n * c, w, kh]), [0, 2, 1]), [n * c * kh, w]);
      const both = matMul(rows, alongW);
      return transpose(reshape(both, [n, c, kh, kw]), [0, 2, 3, 1]);
    });
  }

  override dispose(): ReturnType<layers.Layer['dispose']> {
    const result = super.dispose();
    this.matrices?.forEach((m) => m.dispose());
    this.matrices = null;
    return result;
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), inputSize: this.inputSize, outputSize: this.outputSize };
  }
}
serialization.registerClass(AdaptiveAverage);
