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
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { labelArray, type Dataset, type ImageSet, type Labels } from '../data/dataset.ts';
import { makeBatch, type Batch, type NetworkInput, type Preprocess } from '../data/preprocess.ts';
import { SeededRandom } from '../random.ts';
import { inferencePlan, type InferencePlan } from './inference-plan.ts';

export interface Evaluation {
  loss: number;
  accuracy: number;
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  /** The predicted class of each sample evaluated, in the order of the indices given. */
  predictions: Labels;
  samples: number;
  samplesPerSec: number;
}

/** What to evaluate a model on, and how its batches are made. */
export interface EvaluationSet {
  /** What the model outputs: logits, or probabilities (a saved model ends in softmax). */
  outputs: 'logits' | 'probabilities';
  data: Dataset;
  set: ImageSet;
  /** The samples of `set` to evaluate, in this order. */
  indices: Int32Array;
  input: NetworkInput;
  preprocess: Preprocess;
  batchSize: number;
}

/** One batch's summed loss and predicted classes (the log of probabilities is exactly log-softmax). */
async function batchResult(plan: InferencePlan, batch: Batch, s: EvaluationSet) {
  const classes = s.data.classes.length;
  const [loss, argmax] = tidy(() => {
    const raw = plan.predict(batch.x);
    const logits = s.outputs === 'logits' ? raw : log(clipByValue(raw, 1e-30, 1));
    const labels = oneHot(batch.labels, classes);
    const perSample = losses.softmaxCrossEntropy(labels, logits, undefined, undefined, Reduction.NONE);
    return [sum(perSample), argMax(logits, 1)];
  });
  const [lossValue, predictions, truth] = await Promise.all([
    loss!.data(),
    argmax!.data(),
    batch.labels.data(),
  ]);
  dispose([loss!, argmax!, batch.x, batch.labels]);
  return { loss: lossValue[0]!, predictions, truth };
}

/**
 * Loss, accuracy and confusion matrix over a set, batch by batch, as inference runs the model; `onBatch`
 * hears how many samples are done after each batch (a pass over 10,000 images on WebGL takes a while).
 */
export async function evaluate(
  model: LayersModel,
  s: EvaluationSet,
  onBatch?: (done: number) => void,
): Promise<Evaluation> {
  const classes = s.data.classes.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let lossSum = 0;
  let correct = 0;
  const predicted = labelArray(s.indices.length, classes - 1);
  const rng = new SeededRandom(0);
  const start = util.now();
  // Made for the weights the model has now: BatchNorm folded into convs, activations fused.
  const plan = inferencePlan(model);
  try {
    for (let at = 0; at < s.indices.length; at += s.batchSize) {
      const indices = s.indices.subarray(at, at + s.batchSize);
      const batch = makeBatch(s.set, indices, s.data, s.input, s.preprocess, null, rng);
      const { loss, predictions, truth } = await batchResult(plan, batch, s);
      lossSum += loss;
      predicted.set(predictions, at);
      for (let i = 0; i < predictions.length; i++) {
        confusion[truth[i]!]![predictions[i]!]! += 1;
        if (truth[i] === predictions[i]) correct += 1;
      }
      onBatch?.(at + indices.length);
    }
  } finally {
    plan.dispose();
  }
  const seconds = (util.now() - start) / 1000;
  const samples = s.indices.length;
  return {
    loss: lossSum / samples,
    accuracy: correct / samples,
    confusion,
    predictions: predicted,
    samples,
    samplesPerSec: samples / seconds,
  };
}
