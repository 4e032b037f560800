import {
  argMax,
  clipByValue,
  dispose,
  log,
  losses,
  oneHot,
  Reduction,
  sum,
  tidy,
  util,
  type Tensor,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Dataset, ImageSet } from '../data/dataset.ts';
import { makeBatch, type NetworkInput, type Preprocess } from '../data/preprocess.ts';
import { SeededRandom } from '../random.ts';

export interface Evaluation {
  loss: number;
  accuracy: number;
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  /** The predicted class of each sample evaluated, in the order of the indices given. */
  predictions: Uint8Array;
  samples: number;
  samplesPerSec: number;
}

/**
 * Loss, accuracy and confusion matrix over a set, batch by batch. The model outputs logits, or probabilities
 * (a saved model ends in softmax): the log of probabilities is exactly log-softmax, so the loss is the same.
 */
export async function evaluate(
  model: LayersModel,
  outputs: 'logits' | 'probabilities',
  data: Dataset,
  set: ImageSet,
  indices: Int32Array,
  input: NetworkInput,
  pre: Preprocess,
  batchSize: number,
): Promise<Evaluation> {
  const classes = data.classes.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let lossSum = 0;
  let correct = 0;
  const predicted = new Uint8Array(indices.length);
  const rng = new SeededRandom(0);
  const start = util.now();
  for (let at = 0; at < indices.length; at += batchSize) {
    const batch = makeBatch(set, indices.subarray(at, at + batchSize), data, input, pre, null, rng);
    const [loss, argmax] = tidy(() => {
      const raw = model.predict(batch.x) as Tensor;
      const logits = outputs === 'logits' ? raw : log(clipByValue(raw, 1e-30, 1));
      const perSample = losses.softmaxCrossEntropy(
        oneHot(batch.labels, classes),
        logits,
        undefined,
        undefined,
        Reduction.NONE,
      );
      return [sum(perSample), argMax(logits, 1)];
    });
    const [lossValue, predictions, truth] = await Promise.all([
      loss!.data(),
      argmax!.data(),
      batch.labels.data(),
    ]);
    dispose([loss!, argmax!, batch.x, batch.labels]);
    lossSum += lossValue[0]!;
    predicted.set(predictions, at);
    for (let i = 0; i < predictions.length; i++) {
      confusion[truth[i]!]![predictions[i]!]! += 1;
      if (truth[i] === predictions[i]) correct += 1;
    }
  }
  const seconds = (util.now() - start) / 1000;
  const samples = indices.length;
  return {
    loss: lossSum / samples,
    accuracy: correct / samples,
    confusion,
    predictions: predicted,
    samples,
    samplesPerSec: samples / seconds,
  };
}
