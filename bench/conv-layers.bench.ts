/**
 * Each convolution of a network, timed alone on wasm and in PyTorch (2 threads each): the forward pass (with
 * bias and ReLU, as the inference plan runs it), the filter gradient and the input gradient, at the recipe's
 * batch. Shows which part of a network's time the convolutions themselves take, and how far the wasm
 * kernels are from PyTorch's, conv by conv. Each conv is timed on both sides in turn, --rounds times (tfjs,
 * PyTorch, tfjs, PyTorch…), and the medians of the rounds are compared, so the shared machine's drift falls on
 * both alike.
 *
 *   npm run bench:convs -- [--network resnet-mini] [--threads N] [--rounds 3]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { dispose, engine, fused, randomUniform, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import { startNodeBackend } from '../main/train/node-backends.ts';
import { compileGraph } from '../shared/compile/compile-graph.ts';
import { findTemplate } from '../shared/templates/catalogue.ts';
import { interleaved, median, medianMs, report } from './bench-report.ts';
import { PeerProcess } from './peer-process.ts';

const { values } = parseArgs({
  options: {
    network: { type: 'string', default: 'resnet-mini' },
    threads: { type: 'string', default: String(availableParallelism()) },
    rounds: { type: 'string', default: '3' },
  },
});
await startNodeBackend('wasm', Number(values.threads));

interface Conv {
  name: string;
  /** NHWC, after any zero padding layer before it (which PyTorch's conv does itself). */
  input: [number, number, number, number];
  kernel: number;
  stride: number;
  /** Symmetric padding, as the network's PyTorch export pads. */
  padding: number;
  filters: number;
}

const template = findTemplate(values.network)!;
const compiled = compileGraph(template.build());
if (!compiled.ok) throw new Error(compiled.error.message);
const batch = template.recipe?.batchSize ?? 128;
const convs: Conv[] = compiled.value.model.layers
  .filter((l) => l.getClassName() === 'Conv2D')
  .map((l) => {
    const c = l.getConfig() as { kernelSize: number[]; strides: number[]; padding: string; filters: number };
    const [, h, w, cin] = (l.input as { shape: number[] }).shape;
    const padding = c.padding === 'same' ? (c.kernelSize[0]! - 1) / 2 : 0;
    return {
      name: l.name,
      input: [batch, h!, w!, cin!],
      kernel: c.kernelSize[0]!,
      stride: c.strides[0]!,
      padding,
      filters: c.filters,
    };
  });

const RUNS = 7;

/** Median milliseconds of `f(i)`, its result read back and freed each time. */
function timed(f: (i: number) => Tensor): number {
  return medianMs(RUNS, (i) => {
    const y = f(i);
    y.dataSync();
    y.dispose();
  });
}

function ours(c: Conv) {
  const x = randomUniform(c.input) as Tensor4D;
  const filter = randomUniform([c.kernel, c.kernel, c.input[3], c.filters]) as Tensor4D;
  const bias = randomUniform([c.filters]);
  const conv = { x, filter, bias, strides: c.stride, pad: c.padding, activation: 'relu' as const };
  const forward = timed(() => fused.conv2d(conv));
  const y = fused.conv2d(conv);
  // A new gradient each run, as in training (the kernels pack what they multiply anew), made untimed.
  const dys = Array.from({ length: RUNS }, () => randomUniform(y.shape));
  const attrs = { strides: [c.stride, c.stride], pad: c.padding, dataFormat: 'NHWC' };
  const filterGrad = timed(
    (i) =>
      engine().runKernel(
        'Conv2DBackpropFilter',
        { x, dy: dys[i]! },
        { ...attrs, filterShape: filter.shape },
      ) as Tensor,
  );
  const inputGrad = timed(
    (i) =>
      engine().runKernel(
        'Conv2DBackpropInput',
        { dy: dys[i]!, filter },
        { ...attrs, inputShape: c.input },
      ) as Tensor,
  );
  dispose([x, filter, bias, y, ...dys]);
  return { forward, filterGrad, inputGrad };
}

type Times = ReturnType<typeof ours>;

const peer = PeerProcess.start<Conv, Times>(new URL('./conv_peer.py', import.meta.url).pathname);
const KINDS = ['forward', 'filterGrad', 'inputGrad'] as const;

/** Each kind's median over the rounds. */
const medianTimes = (rounds: Times[]): Times =>
  Object.fromEntries(KINDS.map((k) => [k, median(rounds.map((r) => r[k]))])) as Times;

/** One conv on both sides, interleaved over the rounds; PyTorch's side is undefined when it is missing. */
async function timedBoth(c: Conv): Promise<{ mine: Times; peer: Times | undefined }> {
  const rounds = Number(values.rounds);
  if (!peer)
    return {
      mine: medianTimes((await interleaved(rounds, { mine: async () => ours(c) })).mine),
      peer: undefined,
    };
  const both = await interleaved(rounds, { mine: async () => ours(c), peer: () => peer.run(c) });
  return { mine: medianTimes(both.mine), peer: medianTimes(both.peer) };
}

const timings = [];
for (const c of convs) timings.push(await timedBoth(c));
peer?.close();
const mine = timings.map((t) => t.mine);
const peerTimes = peer ? timings.map((t) => t.peer!) : null;
const ms = (v: number) => Math.round(v * 10) / 10;
const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}×`;

/** A table row: our times, PyTorch's beside them when it ran, and our speed relative to its. */
function row(conv: string, shape: string, o: Times, t: Times | undefined) {
  return {
    conv,
    shape,
    'forward ms': ms(o.forward),
    'torch fwd': t ? ms(t.forward) : '',
    'filter grad ms': ms(o.filterGrad),
    'torch dW': t ? ms(t.filterGrad) : '',
    'input grad ms': ms(o.inputGrad),
    'torch dX': t ? ms(t.inputGrad) : '',
    'speed vs torch (fwd, dW, dX)': t ? KINDS.map((k) => ratio(o[k], t[k])).join(' ') : '',
  };
}

/** The times of all the convs together. */
const total = (of: Times[]): Times =>
  Object.fromEntries(KINDS.map((k) => [k, of.reduce((s, r) => s + r[k], 0)])) as Times;

const rows = convs.map((c, i) =>
  row(
    c.name,
    `${c.input.slice(1).join('×')} → ${c.filters}, ${c.kernel}×${c.kernel}/${c.stride}`,
    mine[i]!,
    peerTimes?.[i],
  ),
);
rows.push(row('all', '', total(mine), peerTimes ? total(peerTimes) : undefined));
report(`convs-${values.network}`, rows);
