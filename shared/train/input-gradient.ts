import { add, conv2d, tidy, type Tensor, type Tensor3D, type Tensor4D } from '@tensorflow/tfjs-core';
import type { CompiledGraph } from '../compile/compile-graph.ts';

/** The fields of a tfjs-layers Conv2D this reads: its own, unchanged through tfjs 4. */
interface ConvLayer {
  name: string;
  kernel: { read(): Tensor } | null;
  bias: { read(): Tensor } | null;
  strides: [number, number];
  padding: string;
  dilationRate: [number, number];
  activation: { getClassName(): string };
  call(inputs: Tensor | Tensor[], kwargs: object): Tensor | Tensor[];
}

type ModelLayer = CompiledGraph['model']['layers'][number];

/** Whether a layer's output depends on no weight: the input, or weightless layers fed only by such. */
function weightFree(layer: ModelLayer, seen: Map<ModelLayer, boolean>): boolean {
  const known = seen.get(layer);
  if (known !== undefined) return known;
  const inbound = layer.inboundNodes.flatMap((n) => n.inboundLayers);
  const free = layer.weights.length === 0 && inbound.every((l) => weightFree(l, seen));
  seen.set(layer, free);
  return free;
}

/** A linear Conv2D as a plain conv2d and a bias add: the same values, and gradients computed only where needed. */
function plainConv(layer: ConvLayer) {
  return (inputs: Tensor | Tensor[]): Tensor =>
    tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as Tensor4D | Tensor3D;
      const pad = layer.padding === 'same' ? 'same' : 'valid';
      const y = conv2d(x, layer.kernel!.read() as Tensor4D, layer.strides, pad, 'NHWC', layer.dilationRate);
      return layer.bias ? add(y, layer.bias.read()) : y;
    });
}

/**
 * The convolutions that read the network's input (directly, or through weightless layers such as padding)
 * compute no gradient for that input when training. tfjs's fused conv2d computes its input's gradient with
 * its filter's, wanted or not (its custom gradient is eager): for the first conv that is a whole backward
 * convolution thrown away each step (16% of a LeNet step at batch 256). Those layers run as a plain conv2d
 * and a bias add instead, whose input gradient tfjs skips when nothing needs it. Values are unchanged (to
 * float rounding). Answers the names of the layers changed.
 */
export function skipInputGradients(compiled: CompiledGraph): string[] {
  const changed: string[] = [];
  const seen = new Map<ModelLayer, boolean>();
  for (const layer of compiled.model.layers) {
    const conv = layer as unknown as ConvLayer;
    if (layer.getClassName() !== 'Conv2D' || conv.activation.getClassName().toLowerCase() !== 'linear')
      continue;
    if (!layer.inboundNodes.flatMap((n) => n.inboundLayers).every((l) => weightFree(l, seen))) continue;
    conv.call = plainConv(conv);
    changed.push(layer.name);
  }
  return changed;
}
