import { z } from 'zod';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { applyActivation, activationFlops, kerasActivation, torchActivation } from './activation.ts';
import { kerasPadding } from './keras-syntax.ts';
import { defineLayer, expectImage, fail, ok, problem, SINGLE_INPUT } from './kind.ts';
import { activationSchema, intOrPair, paddingSchema, positiveInt } from './params.ts';
import { padForWindow, resolvePads, slideWindow, symmetricPads, torchPad, windowOf } from './spatial.ts';
import { pyArgs, pyBool, pyPair } from './torch-syntax.ts';
import { convKernelToTorch, role } from './weight-layout.ts';
import { kernelBounds } from './weight-init.ts';

const params = z.object({
  filters: positiveInt.max(65536).default(32),
  kernel: intOrPair(1).default(3),
  stride: intOrPair(1).default(1),
  padding: paddingSchema.default(0),
  dilation: intOrPair(1).default(1),
  bias: z.boolean().default(true),
  activation: activationSchema.default('none'),
  /**
   * Output channels as a share of the input's, rounded down (DenseNet's compression: a transition halves
   * whatever reaches it); when set, `filters` is unused.
   */
  filtersRatio: z.number().gt(0).max(64).nullable().default(null),
});

/** The output channel count: `filters`, or the share of the input's channels. */
const outChannels = (x: readonly number[], p: z.output<typeof params>): number =>
  p.filtersRatio === null ? p.filters : Math.max(1, Math.floor(x[0]! * p.filtersRatio));

export const conv2d = defineLayer({
  type: 'Conv2D',
  title: 'Conv2D',
  category: 'convolution',
  description: 'A 2-D convolution: out = floor((in + 2p − d(k−1) − 1) / s) + 1.',
  params,
  inputs: () => SINGLE_INPUT,
  sight: (p) => {
    const window = windowOf(p.kernel, p.stride, p.dilation);
    return { window, pads: resolvePads(p.padding, window) };
  },
  infer: ([x], p) => {
    const bad = expectImage(x!, 'Conv2D');
    if (bad) return fail(bad);
    const w = windowOf(p.kernel, p.stride, p.dilation);
    const strided = w.stride[0] > 1 || w.stride[1] > 1;
    if (p.padding === 'same' && strided) {
      return problem(
        'badParams',
        "Padding 'same' needs stride 1 (as in PyTorch). Give an explicit padding, e.g. kernel // 2.",
      );
    }
    if (strided && (w.dilation[0] > 1 || w.dilation[1] > 1)) {
      return problem(
        'badParams',
        'tfjs cannot combine a stride above 1 with a dilation above 1. Set one of them to 1.',
      );
    }
    const out = slideWindow(x as [number, number, number], resolvePads(p.padding, w), w);
    return out.ok ? ok([outChannels(x!, p), ...out.hw]) : problem('kernelTooLarge', out.message, 'in');
  },
  count: ([x], p) => {
    const [kh, kw] = windowOf(p.kernel, p.stride).kernel;
    const filters = outChannels(x!, p);
    return { trainable: kh * kw * x![0]! * filters + (p.bias ? filters : 0), nonTrainable: 0 };
  },
  flops: ([x], out, p) => {
    const [kh, kw] = windowOf(p.kernel, p.stride).kernel;
    const positions = out[1]! * out[2]!;
    const macs = kh * kw * x![0]! * out[0]! * positions;
    return 2 * macs + (p.bias ? out[0]! * positions : 0) + activationFlops(p.activation, out);
  },
  tfjs: {
    build: ([x], p, ctx) => {
      const w = windowOf(p.kernel, p.stride, p.dilation);
      const padded = padForWindow(x!, resolvePads(p.padding, w), ctx.name, 0, w);
      const conv = layers.conv2d({
        filters: ctx.outputShape[0]!,
        kernelSize: w.kernel,
        strides: w.stride,
        dilationRate: w.dilation,
        padding: padded.padding,
        useBias: p.bias,
        name: p.activation === 'none' ? ctx.name : `${ctx.name}_conv`,
      });
      return applyActivation(conv.apply(padded.x) as SymbolicTensor, p.activation, ctx.name);
    },
    initialBounds: (shapes, scheme) => kernelBounds(shapes.get('kernel')!, scheme),
  },
  torch: {
    code: (p, { inputShapes: [x], outputShape }) => {
      const w = windowOf(p.kernel, p.stride, p.dilation);
      const pads = resolvePads(p.padding, w);
      // Uneven padding ('same' with an even kernel) is a padding step before the conv, as tfjs runs it.
      const even = symmetricPads(pads);
      const args = pyArgs([
        ['kernel_size', pyPair(w.kernel)],
        ['stride', pyPair(w.stride), '(1, 1)'],
        ['padding', pyPair(even ? [pads.top, pads.left] : [0, 0]), '(0, 0)'],
        ['dilation', pyPair(w.dilation), '(1, 1)'],
        ['bias', pyBool(p.bias), 'True'],
      ]);
      return {
        module: `nn.Conv2d(${x![0]}, ${outputShape[0]}, ${args})`,
        forward: ([input], self) =>
          torchActivation(p.activation, `${self}(${even ? input : torchPad(input!, pads)})`),
      };
    },
    weights: (weights) => ({
      weight: convKernelToTorch(role(weights, 'kernel')),
      ...(weights.has('bias') ? { bias: role(weights, 'bias') } : {}),
    }),
  },
  keras: {
    code: (p, { outputShape }) => {
      const w = windowOf(p.kernel, p.stride, p.dilation);
      const { before, padding } = kerasPadding(resolvePads(p.padding, w), w, 'zero');
      const a = kerasActivation(p.activation);
      const args = pyArgs([
        ['filters', String(outputShape[0])],
        ['kernel_size', pyPair(w.kernel)],
        ['strides', pyPair(w.stride), '(1, 1)'],
        ['padding', `"${padding}"`, '"valid"'],
        ['dilation_rate', pyPair(w.dilation), '(1, 1)'],
        ['use_bias', pyBool(p.bias), 'True'],
        ['activation', a.argument ?? 'None', 'None'],
      ]);
      return { layers: [...before, `layers.Conv2D(${args})`, ...a.after] };
    },
  },
});
