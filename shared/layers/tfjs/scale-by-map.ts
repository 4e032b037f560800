import { keep, mul, serialization, tensor3d, tidy, type Tensor, type Tensor3D } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';

type LayerArgs = ConstructorParameters<typeof layers.Layer>[0];

export interface ScaleByMapArgs extends NonNullable<LayerArgs> {
  /** One factor per output position, [H][W], broadcast over batch and channels. */
  factors: number[][];
}

/**
 * Multiplies each spatial position by a constant. It turns tfjs's average (always divided by the window
 * size) into PyTorch's, whose divisor shrinks at the borders (ceil mode, or count_include_pad=False).
 */
export class ScaleByMap extends layers.Layer {
  static readonly className = 'BlockwiseScaleByMap';
  private readonly factors: number[][];
  private map: Tensor3D | null = null;

  constructor(args: ScaleByMapArgs) {
    super(args);
    this.factors = args.factors;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    // Built once and kept: call() runs inside the caller's tidy, which would otherwise free it.
    this.map ??= keep(tensor3d(this.factors.map((row) => row.map((f) => [f]))));
    const map = this.map;
    return tidy(() => mul(x, map));
  }

  override dispose(): ReturnType<layers.Layer['dispose']> {
    const result = super.dispose();
    this.map?.dispose();
    this.map = null;
    return result;
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), factors: this.factors };
  }
}
serialization.registerClass(ScaleByMap);
