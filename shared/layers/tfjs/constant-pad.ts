import { pad, serialization, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';

type LayerArgs = ConstructorParameters<typeof layers.Layer>[0];
type Shape = (number | null)[];

export interface ConstantPad2DArgs extends NonNullable<LayerArgs> {
  pads: [[number, number], [number, number]];
  value: number;
}

/** Pads H and W (channels-last) with a constant; tfjs's ZeroPadding2D only pads with zeros. */
export class ConstantPad2D extends layers.Layer {
  static readonly className = 'BlockwiseConstantPad2D';
  private readonly pads: [[number, number], [number, number]];
  private readonly value: number;

  constructor(args: ConstantPad2DArgs) {
    super(args);
    this.pads = args.pads;
    this.value = args.value;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = inputShape as Shape;
    const [[t, b], [l, r]] = this.pads;
    const grow = (d: number | null | undefined, by: number) => (d == null ? null : d + by);
    return [n ?? null, grow(h, t + b), grow(w, l + r), c ?? null];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tidy(() => pad(x, [[0, 0], this.pads[0], this.pads[1], [0, 0]], this.value));
  }

  override getConfig(): serialization.ConfigDict {
    // JSON has no -Infinity: keep it as a string in the saved model.
    const value = Number.isFinite(this.value) ? this.value : String(this.value);
    return { ...super.getConfig(), pads: this.pads, value };
  }

  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    return new cls({ ...config, value: Number(config['value']) });
  }
}
serialization.registerClass(ConstantPad2D);
