import {
  add,
  fused,
  mul,
  relu,
  reshape,
  rsqrt,
  sub,
  tidy,
  type Tensor,
  type Tensor4D,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * The model as evaluation runs it, faster and with the same results (within float rounding): each
 * convolution takes the BatchNorm after it into its weights and bias (exact with the running statistics of
 * inference) and the activation after that into the same fused kernel, so three passes over memory become
 * one; zero padding before a convolution becomes the kernel's own padding; a Dense layer takes its activation
 * likewise; a residual Add and the ReLU after it are one step. Every other layer runs as the model defines it.
 */

/** The parts of a tfjs layer this reads (its class, config, weights and the layers it takes). */
interface LayerView {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  getWeights(): Tensor[];
  apply(inputs: Tensor | Tensor[], kwargs?: Record<string, unknown>): Tensor | Tensor[];
  inboundNodes: { inboundLayers: LayerView[] }[];
}

/** Activations tfjs's fused kernels take. */
const FUSED = new Set(['linear', 'relu', 'relu6', 'sigmoid', 'elu']);
type FusedActivation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'elu';

type Step =
  | {
      kind: 'conv';
      input: string;
      output: string;
      filter: Tensor4D;
      bias: Tensor | undefined;
      config: Record<string, unknown>;
      /** 'same', 'valid', or the zero padding taken from the layer before: [[0,0],[t,b],[l,r],[0,0]]. */
      pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
      activation: FusedActivation;
    }
  | { kind: 'add'; inputs: string[]; output: string; relu: boolean }
  /** A BatchNorm no conv takes (DenseNet's BN-ReLU-conv): x·a + b, and its ReLU, as one 1×1 depthwise conv. */
  | {
      kind: 'scale';
      input: string;
      output: string;
      filter: Tensor4D;
      bias: Tensor;
      activation: FusedActivation;
    }
  | {
      kind: 'dense';
      input: string;
      output: string;
      kernel: Tensor;
      bias: Tensor | undefined;
      activation: FusedActivation;
    }
  | { kind: 'layer'; inputs: string[]; output: string; layer: LayerView };

export interface InferencePlan {
  /** The model's output for a batch (NHWC), as `model.predict` gives it. */
  predict(x: Tensor): Tensor;
  /** Frees the folded weights. */
  dispose(): void;
}

const inputsOf = (layer: LayerView) => layer.inboundNodes[0]?.inboundLayers.map((l) => l.name) ?? [];

/** The one layer that takes `layer`'s output, or null when none or several do. */
function onlyConsumer(layer: LayerView, consumers: Map<string, LayerView[]>): LayerView | null {
  const next = consumers.get(layer.name) ?? [];
  return next.length === 1 ? next[0]! : null;
}

/** A standalone activation layer's function, when a fused kernel can take it. */
function fusibleActivation(layer: LayerView | null): FusedActivation | null {
  if (!layer || layer.getClassName() !== 'Activation') return null;
  const fn = String(layer.getConfig()['activation']);
  return FUSED.has(fn) ? (fn as FusedActivation) : null;
}

/** A BatchNorm over channels with its learned scale and offset: what folds into a conv. */
function foldableBatchNorm(layer: LayerView | null): boolean {
  if (!layer || layer.getClassName() !== 'BatchNormalization') return false;
  const c = layer.getConfig();
  const axis = c['axis'];
  return (axis === -1 || axis === 3) && c['center'] === true && c['scale'] === true;
}

/** The conv's kernel and bias with the BatchNorm folded in: W·a and (b − μ)·a + β, a = γ/√(σ² + ε). */
function foldBatchNorm(
  kernel: Tensor,
  bias: Tensor | undefined,
  bn: LayerView,
): { filter: Tensor; bias: Tensor } {
  const [gamma, beta, mean, variance] = bn.getWeights() as [Tensor, Tensor, Tensor, Tensor];
  const eps = Number(bn.getConfig()['epsilon']);
  return tidy(() => {
    const a = mul(gamma, rsqrt(add(variance, eps)));
    return { filter: mul(kernel, a), bias: add(mul(bias ? sub(bias, mean) : mul(mean, -1), a), beta) };
  });
}

/** A ZeroPadding2D whose only consumer is a conv without padding of its own: the conv can pad instead. */
function paddingIntoConv(layer: LayerView, consumers: Map<string, LayerView[]>): boolean {
  if (layer.getClassName() !== 'ZeroPadding2D') return false;
  const conv = onlyConsumer(layer, consumers);
  return conv?.getClassName() === 'Conv2D' && conv.getConfig()['padding'] === 'valid';
}

/** A conv's padding: its own, or the zero padding before it (which then only passes its input on). */
function convPadding(
  conv: LayerView,
  byName: Map<string, LayerView>,
  consumers: Map<string, LayerView[]>,
): Pick<Extract<Step, { kind: 'conv' }>, 'pad' | 'input'> {
  const before = byName.get(inputsOf(conv)[0]!);
  const own = conv.getConfig()['padding'] as 'same' | 'valid';
  if (!before || !paddingIntoConv(before, consumers)) return { pad: own, input: inputsOf(conv)[0]! };
  const [[t, b], [l, r]] = before.getConfig()['padding'] as [[number, number], [number, number]];
  return {
    pad: [
      [0, 0],
      [t, b],
      [l, r],
      [0, 0],
    ],
    input: inputsOf(before)[0]!,
  };
}

/** Whether a layer's output is an image batch (N, H, W, C): a depthwise conv can take it. */
const isImage = (layer: LayerView) =>
  (layer as unknown as { outputShape: unknown[] }).outputShape.length === 4;

/** A BatchNorm as a 1×1 depthwise conv: a = γ/√(σ² + ε) as its filter, β − μ·a as its bias. */
function scaleAndShift(bn: LayerView): { filter: Tensor4D; bias: Tensor } {
  const [gamma, beta, mean, variance] = bn.getWeights() as [Tensor, Tensor, Tensor, Tensor];
  const eps = Number(bn.getConfig()['epsilon']);
  return tidy(() => {
    const a = mul(gamma, rsqrt(add(variance, eps)));
    return { filter: reshape(a, [1, 1, a.size, 1]) as Tensor4D, bias: sub(beta, mul(mean, a)) };
  });
}

/** The steps of the model, in its layers' order, with each fusible run of layers as one step. */
function planSteps(model: LayersModel): { steps: Step[]; owned: Tensor[] } {
  const layers = model.layers as unknown as LayerView[];
  const consumers = new Map<string, LayerView[]>();
  for (const l of layers)
    for (const from of inputsOf(l)) consumers.set(from, [...(consumers.get(from) ?? []), l]);
  const byName = new Map(layers.map((l) => [l.name, l]));
  const taken = new Set<string>();
  const steps: Step[] = [];
  const owned: Tensor[] = [];
  for (const layer of layers) {
    if (taken.has(layer.name) || layer.getClassName() === 'InputLayer') continue;
    // Zero padding that only a 'valid' conv takes becomes the conv's own padding.
    if (paddingIntoConv(layer, consumers)) continue;
    const cls = layer.getClassName();
    const config = layer.getConfig();
    const linear = config['activation'] === 'linear';
    if ((cls === 'Conv2D' || cls === 'Dense') && linear) {
      let last = layer;
      let bn = onlyConsumer(layer, consumers);
      if (cls !== 'Conv2D' || !foldableBatchNorm(bn)) bn = null;
      if (bn) last = bn;
      const after = onlyConsumer(last, consumers);
      const activation = fusibleActivation(after);
      if (activation && after) last = after;
      const [kernel, bias] = layer.getWeights() as [Tensor, Tensor | undefined];
      const weights = bn ? foldBatchNorm(kernel, bias, bn) : { filter: kernel, bias };
      if (bn) owned.push(weights.filter, weights.bias!);
      for (const l of [bn, activation ? after : null]) if (l) taken.add(l.name);
      const common = {
        input: inputsOf(layer)[0]!,
        output: last.name,
        bias: weights.bias,
        activation: activation ?? 'linear',
      };
      steps.push(
        cls === 'Conv2D'
          ? {
              kind: 'conv',
              ...common,
              filter: weights.filter as Tensor4D,
              config,
              ...convPadding(layer, byName, consumers),
            }
          : { kind: 'dense', ...common, kernel: weights.filter },
      );
      continue;
    }
    if (foldableBatchNorm(layer) && isImage(layer)) {
      const after = onlyConsumer(layer, consumers);
      const activation = fusibleActivation(after);
      if (activation && after) taken.add(after.name);
      const { filter, bias } = scaleAndShift(layer);
      owned.push(filter, bias);
      steps.push({
        kind: 'scale',
        input: inputsOf(layer)[0]!,
        output: activation ? after!.name : layer.name,
        filter,
        bias,
        activation: activation ?? 'linear',
      });
      continue;
    }
    if (cls === 'Add') {
      const after = onlyConsumer(layer, consumers);
      const withRelu = fusibleActivation(after) === 'relu';
      if (withRelu) taken.add(after!.name);
      steps.push({
        kind: 'add',
        inputs: inputsOf(layer),
        output: withRelu ? after!.name : layer.name,
        relu: withRelu,
      });
      continue;
    }
    steps.push({ kind: 'layer', inputs: inputsOf(layer), output: layer.name, layer });
  }
  return { steps, owned };
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [Number(v), Number(v)]);

function runStep(step: Step, values: Map<string, Tensor>): Tensor {
  if (step.kind === 'conv')
    return fused.conv2d({
      x: values.get(step.input) as Tensor4D,
      filter: step.filter,
      strides: pair(step.config['strides']),
      pad: step.pad,
      dilations: pair(step.config['dilationRate']),
      bias: step.bias,
      activation: step.activation,
    });
  if (step.kind === 'scale')
    return fused.depthwiseConv2d({
      x: values.get(step.input) as Tensor4D,
      filter: step.filter,
      strides: 1,
      pad: 'valid',
      bias: step.bias,
      activation: step.activation,
    });
  if (step.kind === 'dense')
    return fused.matMul({
      a: values.get(step.input)!,
      b: step.kernel,
      bias: step.bias,
      activation: step.activation,
    });
  const inputs = step.inputs.map((n) => values.get(n)!);
  if (step.kind === 'add') {
    const sum = inputs.slice(1).reduce((a, b) => add(a, b), inputs[0]!);
    return step.relu ? relu(sum) : sum;
  }
  return step.layer.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: false }) as Tensor;
}

/** The model's inference plan, for the weights it has now (make a new one after training changes them). */
export function inferencePlan(model: LayersModel): InferencePlan {
  const { steps, owned } = planSteps(model);
  const inputName = model.inputLayers[0]!.name;
  const outputName = model.outputLayers[0]!.name;
  return {
    predict: (x) =>
      tidy(() => {
        const values = new Map<string, Tensor>([[inputName, x]]);
        for (const step of steps) values.set(step.output, runStep(step, values));
        return values.get(outputName)!;
      }),
    dispose: () => owned.forEach((t) => t.dispose()),
  };
}
