import { oneHot, profile, randomUniform, tensor1d, type Tensor, type Variable } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../compile/compile-graph.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { chainGraph } from '../test/graph-kit.ts';
import { skipInputGradients } from './input-gradient.ts';
import { lossGradients } from './train-loop.ts';

function compiled(graph: Parameters<typeof compileGraph>[0]) {
  const c = compileGraph(graph);
  if (!c.ok) throw new Error(c.error.message);
  return c.value;
}

/** One batch's loss gradients by weight name, and the shapes of the input gradients the step computed. */
async function step(net: ReturnType<typeof compiled>, x: Tensor, labels: number[]) {
  const y = oneHot(tensor1d(labels, 'int32'), 10);
  const weights = net.model.trainableWeights.map((w) => w.read() as Variable);
  let grads: Record<string, number[]> = {};
  const info = await profile(() => {
    const { value, grads: g } = lossGradients(net, x, y, weights);
    grads = Object.fromEntries(Object.entries(g).map(([k, t]) => [k, Array.from(t.dataSync())]));
    return value;
  });
  const inputGradients = info.kernels
    .filter((k) => k.name === 'Conv2DBackpropInput')
    .map((k) => JSON.stringify(k.outputShapes[0]));
  return { grads, inputGradients };
}

describe('skipInputGradients', () => {
  it('leaves out the gradient of the network input in the first conv, with the same weight gradients', async () => {
    const net = compiled(findTemplate('lenet')!.build());
    const x = randomUniform([4, 28, 28, 1]);
    const labels = [0, 3, 5, 9];
    const before = await step(net, x, labels);
    expect(skipInputGradients(net)).toEqual(['conv2d1_conv']);
    const after = await step(net, x, labels);
    // Before: the image's own gradient (4×28×28×1) was computed and thrown away.
    expect(before.inputGradients).toContain(JSON.stringify([4, 28, 28, 1]));
    expect(after.inputGradients).toEqual(before.inputGradients.filter((s) => s !== '[4,28,28,1]'));
    expect(Object.keys(after.grads)).toEqual(Object.keys(before.grads));
    for (const [name, values] of Object.entries(after.grads))
      values.forEach((v, i) => expect(v, name).toBeCloseTo(before.grads[name]![i]!, 5));
  });

  it('reaches through weightless layers (padding) but not past a layer with weights', () => {
    const net = compiled(
      chainGraph(
        [1, 8, 8],
        [
          ['ZeroPadding2D', { padding: [1, 0, 1, 0] }],
          ['Conv2D', { filters: 2, kernel: 3 }],
          ['Conv2D', { filters: 2, kernel: 3 }],
          ['Flatten', {}],
          ['Dense', { units: 10 }],
          ['Output', {}],
        ],
      ),
    );
    expect(skipInputGradients(net)).toEqual(['conv2d1']);
  });
});
