import '@tensorflow/tfjs-backend-cpu';
import { randomUniform, setBackend, type Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../compile/compile-graph.ts';
import { findTemplate } from '../templates/catalogue.ts';
import { inferencePlan } from './inference-plan.ts';

beforeAll(() => setBackend('cpu'));

/** Gives every BatchNorm statistics and scales unlike their initial ones, so folding them shows. */
function unsettleBatchNorms(model: ReturnType<typeof compiled>['model']): number {
  let count = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    // getWeights gives the variables' own tensors: setWeights copies into them, nothing to free.
    const shape = layer.getWeights()[0]!.shape;
    layer.setWeights([
      randomUniform(shape, 0.5, 1.5),
      randomUniform(shape, -0.5, 0.5),
      randomUniform(shape, -0.3, 0.3),
      randomUniform(shape, 0.5, 2),
    ]);
    count++;
  }
  return count;
}

function compiled(id: string) {
  const c = compileGraph(findTemplate(id)!.build());
  if (!c.ok) throw new Error(c.error.message);
  return c.value;
}

describe('the inference plan (BatchNorm folded, activations fused)', () => {
  // DenseNet-mini: BatchNorms no conv takes (BN-ReLU-conv). GoogLeNet: concatenation, −∞ padding layers
  // and 'same' pooling, run as the model defines them.
  it.each(['lenet', 'vgg-mini', 'resnet-mini', 'densenet-mini', 'googlenet'])(
    'gives %s’s outputs within float rounding',
    (id) => {
      const { model } = compiled(id);
      const folded = unsettleBatchNorms(model);
      if (id.endsWith('net-mini')) expect(folded).toBeGreaterThan(0);
      const [, h, w, c] = model.inputs[0]!.shape as number[];
      const x = randomUniform([id === 'googlenet' ? 1 : 3, h!, w!, c!]);
      const plan = inferencePlan(model);
      const want = (model.predict(x) as Tensor).arraySync() as number[][];
      const got = plan.predict(x).arraySync() as number[][];
      for (let i = 0; i < want.length; i++)
        for (let j = 0; j < want[i]!.length; j++) expect(got[i]![j]!).toBeCloseTo(want[i]![j]!, 5);
      plan.dispose();
      model.dispose();
    },
  );
});
