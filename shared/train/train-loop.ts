import {
  argMax,
  cast,
  dispose,
  equal,
  keep,
  losses,
  mean,
  oneHot,
  stack,
  tensor,
  tidy,
  util,
  variableGrads,
  type Scalar,
  type Tensor,
  type Variable,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { toChannelsFirst, type CompiledGraph } from '../compile/compile-graph.ts';
import type { Dataset } from '../data/dataset.ts';
import { checkCompatible, makeBatch, type NetworkInput } from '../data/preprocess.ts';
import { evaluate, type Evaluation } from './evaluate.ts';
import { initializeWeights } from './init-weights.ts';
import { Optimizer, type OptimizerState } from './optimizers.ts';
import { nextTurn } from './next-turn.ts';
import { mathRandomFor, SeededRandom, withSeededMathRandom } from '../random.ts';
import { learningRate } from './schedules.ts';
import { freezeLayers } from './transfer.ts';
import type { TrainConfig } from './train-config.ts';

export interface BatchEvent {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  lr: number;
  samplesPerSec: number;
  etaSeconds: number;
}

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  evalLoss: number;
  evalAccuracy: number;
  lr: number;
  seconds: number;
  trainSamplesPerSec: number;
}

/** How far a stopped epoch got: enough to go on with its next batch as if it had never stopped. */
export interface EpochProgress {
  batchesDone: number;
  lossSum: number;
  correct: number;
  seen: number;
  seconds: number;
  /** Positions of the epoch's generators (augmentation, and Math.random for dropout). */
  random: number;
  mathRandom: number;
}

/** Everything needed to continue a run exactly where it stopped, in the middle of an epoch too. */
export interface Checkpoint {
  epochsDone: number;
  step: number;
  weights: Float32Array[];
  optimizer: OptimizerState;
  history: EpochMetrics[];
  best: { epoch: number; accuracy: number; weights: Float32Array[] } | null;
  /** Set when the run stopped inside epoch `epochsDone + 1`. */
  epochProgress?: EpochProgress;
}

export interface TrainHooks {
  /** Once, after the data was checked and before the first batch. */
  onStart?(info: { batchesPerEpoch: number }): void;
  onBatchEnd?(e: BatchEvent): void;
  onEpochEnd?(e: EpochMetrics & { evalSplit: 'validation' | 'test' }): void;
  /** Checked between batches (an AbortSignal fits): stopping keeps everything trained so far. */
  signal?: { readonly aborted: boolean };
  /** Awaited between batches: a paused run waits here until it is resumed (or stopped). */
  whilePaused?(): Promise<void>;
  resumeFrom?: Checkpoint;
  /** The model already holds the weights to start from (another run's): they are not initialised. */
  keepInitialWeights?: boolean;
}

export interface TrainResult {
  history: EpochMetrics[];
  evalSplit: 'validation' | 'test';
  test: Evaluation;
  checkpoint: Checkpoint;
  bestEpoch: number | null;
  stoppedBy: 'completed' | 'earlyStopping' | 'user';
  seconds: number;
}

export class TrainingError extends Error {
  constructor(
    readonly kind: 'incompatibleData' | 'nonFiniteLoss',
    message: string,
  ) {
    super(message);
  }
}

export function networkInput(model: LayersModel): NetworkInput {
  const [, height, width, channels] = model.inputs[0]!.shape as number[];
  return { channels: channels!, height: height!, width: width! };
}

/** How often the loop gives the event loop a turn (a zero timeout costs about a millisecond in Node). */
const YIELD_EVERY_MS = 50;

/** A stop before the epoch's first batch needs no progress: the epoch simply starts again. */
const seenAny = (p: EpochProgress) => p.batchesDone > 0;

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** A deterministic split: the same seed always holds out the same images. */
function splitIndices(
  count: number,
  fraction: number,
  seed: number,
): { train: Int32Array; held: Int32Array } {
  const all = new SeededRandom(seed).shuffle(range(count));
  const held = Math.round(count * fraction);
  return { train: all.subarray(held), held: all.subarray(0, held) };
}

const readWeights = (c: CompiledGraph) => c.model.getWeights().map((w) => w.dataSync() as Float32Array);

function writeWeights(c: CompiledGraph, values: Float32Array[]): void {
  const shapes = c.model.getWeights().map((w) => w.shape);
  const tensors = values.map((v, i) => tensor(v, shapes[i]));
  c.model.setWeights(tensors);
  dispose(tensors);
}

/** Trains a compiled graph on a dataset. Resumable, stoppable, seeded; never leaks tensors between epochs. */
export async function trainModel(
  compiled: CompiledGraph,
  data: Dataset,
  config: TrainConfig,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  const input = networkInput(compiled.model);
  const incompatible = checkCompatible(data, input, config.preprocess);
  if (incompatible) throw new TrainingError('incompatibleData', incompatible);
  const scores = compiled.logitsModel.outputs[0]!.shape as number[];
  if (scores.length !== 2)
    throw new TrainingError(
      'incompatibleData',
      `The network ends in ${toChannelsFirst(scores).join('×')} features; training needs class scores. Add a GlobalAvgPool (or Flatten) and a Dense layer of ${data.classes.length} units before Output.`,
    );
  const classes = scores[1]!;
  // Fewer outputs than classes cannot learn; more would score classes the data never has (and the
  // confusion matrix would not fit the dataset's classes).
  if (classes !== data.classes.length) {
    throw new TrainingError(
      'incompatibleData',
      `The network outputs ${classes} classes but ${data.name} has ${data.classes.length}. Set the last Dense layer (the one feeding Output) to ${data.classes.length} units.`,
    );
  }
  const split = splitIndices(data.train.count, config.validationFraction, config.seed);
  if (split.train.length === 0 || (config.validationFraction > 0 && split.held.length === 0))
    throw new TrainingError(
      'incompatibleData',
      `${data.name} has ${data.train.count} training images: too few to train on with a validation split of ${config.validationFraction}. Add images or lower the validation split.`,
    );
  const evalSplit = config.validationFraction > 0 ? 'validation' : 'test';
  const evalSet = evalSplit === 'validation' ? data.train : data.test;
  const evalIndices = evalSplit === 'validation' ? split.held : range(data.test.count);
  const batchesPerEpoch = Math.min(
    Math.ceil(split.train.length / config.batchSize),
    config.maxBatchesPerEpoch ?? Infinity,
  );
  const totalSteps = batchesPerEpoch * config.epochs;
  hooks.onStart?.({ batchesPerEpoch });

  freezeLayers(compiled, config.freeze);
  const weights = compiled.model.trainableWeights.map((w) => w.read() as Variable);
  const optimizer = new Optimizer(config.optimizer, weights);
  const resume = hooks.resumeFrom;
  if (resume) {
    writeWeights(compiled, resume.weights);
    optimizer.restore(resume.optimizer);
  } else if (!hooks.keepInitialWeights) {
    initializeWeights(compiled, config.init, config.seed);
  }
  let step = resume?.step ?? 0;
  const history = [...(resume?.history ?? [])];
  let best = resume?.best ?? null;
  let stoppedBy: TrainResult['stoppedBy'] = 'completed';
  let stoppedInside: EpochProgress | undefined;
  const started = util.now();
  let lastYield = util.now();

  try {
    for (let epoch = resume?.epochsDone ?? 0; epoch < config.epochs; epoch++) {
      // Each epoch is seeded on its own, so a resumed run draws exactly what an unbroken one would.
      const epochSeed = config.seed * 1_000_003 + epoch;
      const rng = new SeededRandom(epochSeed);
      const mathRng = mathRandomFor(epochSeed);
      const order = rng.shuffle(split.train.slice());
      // A run stopped inside this epoch goes on from its next batch, generators where they stood.
      const from = epoch === resume?.epochsDone ? resume.epochProgress : undefined;
      if (from) {
        rng.restore(from.random);
        mathRng.restore(from.mathRandom);
      }
      const epochStart = util.now() - (from?.seconds ?? 0) * 1000;
      let lossSum = from?.lossSum ?? 0;
      let correct = from?.correct ?? 0;
      let seen = from?.seen ?? 0;
      let lr = 0;
      const outcome = await (async () => {
        for (let b = from?.batchesDone ?? 0; b < batchesPerEpoch; b++) {
          // Timers and signals (Ctrl-C, a stop message) run only when the loop yields a real turn.
          if (util.now() - lastYield > YIELD_EVERY_MS) {
            await nextTurn();
            lastYield = util.now();
          }
          await hooks.whilePaused?.();
          if (hooks.signal?.aborted) {
            stoppedInside = {
              batchesDone: b,
              lossSum,
              correct,
              seen,
              seconds: (util.now() - epochStart) / 1000,
              random: rng.position,
              mathRandom: mathRng.position,
            };
            return 'user' as const;
          }
          lr = learningRate(config.lr, config.schedule, step, batchesPerEpoch, totalSteps);
          const idx = order.subarray(b * config.batchSize, (b + 1) * config.batchSize);
          const batch = makeBatch(data.train, idx, data, input, config.preprocess, config.augment, rng);
          const metrics = withSeededMathRandom(mathRng, () =>
            trainStep(compiled, optimizer, weights, batch.x, batch.labels, classes, lr),
          );
          dispose([batch.x, batch.labels]);
          const [loss, accuracy] = await metrics.data();
          metrics.dispose();
          step += 1;
          if (!Number.isFinite(loss)) {
            throw new TrainingError(
              'nonFiniteLoss',
              `The loss became ${loss} at epoch ${epoch + 1}, batch ${b + 1} (learning rate ${lr.toPrecision(3)}). Lower the learning rate, e.g. to ${(config.lr / 10).toPrecision(2)}, and train again.`,
            );
          }
          lossSum += loss! * idx.length;
          correct += accuracy! * idx.length;
          seen += idx.length;
          const elapsed = (util.now() - epochStart) / 1000;
          const rate = seen / elapsed;
          const remaining = (totalSteps - step) * config.batchSize;
          hooks.onBatchEnd?.({
            epoch: epoch + 1,
            batch: b + 1,
            batches: batchesPerEpoch,
            loss: loss!,
            accuracy: accuracy!,
            lr,
            samplesPerSec: rate,
            etaSeconds: remaining / rate,
          });
        }
        return 'done' as const;
      })();
      if (outcome === 'user') {
        stoppedBy = 'user';
        break;
      }
      const trainSeconds = (util.now() - epochStart) / 1000;
      const evaluation = await evaluate(compiled.logitsModel, {
        outputs: 'logits',
        data,
        set: evalSet,
        indices: evalIndices,
        input,
        preprocess: config.preprocess,
        batchSize: config.batchSize,
      });
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        trainLoss: lossSum / seen,
        trainAccuracy: correct / seen,
        evalLoss: evaluation.loss,
        evalAccuracy: evaluation.accuracy,
        lr,
        seconds: (util.now() - epochStart) / 1000,
        trainSamplesPerSec: seen / trainSeconds,
      };
      history.push(metrics);
      hooks.onEpochEnd?.({ ...metrics, evalSplit });
      if (!best || metrics.evalAccuracy > best.accuracy)
        best = { epoch: metrics.epoch, accuracy: metrics.evalAccuracy, weights: readWeights(compiled) };
      if (
        config.earlyStoppingPatience &&
        metrics.epoch - best.epoch >= config.earlyStoppingPatience &&
        epoch + 1 < config.epochs
      ) {
        stoppedBy = 'earlyStopping';
        break;
      }
    }
    // The checkpoint keeps the last weights (a resumed run goes on from them), whatever is tested and saved.
    const lastWeights = readWeights(compiled);
    if (config.restoreBest && best) writeWeights(compiled, best.weights);
    const test = await evaluate(compiled.logitsModel, {
      outputs: 'logits',
      data,
      set: data.test,
      indices: range(data.test.count),
      input,
      preprocess: config.preprocess,
      batchSize: config.batchSize,
    });
    const checkpoint: Checkpoint = {
      epochsDone: history.length,
      step,
      weights: lastWeights,
      optimizer: optimizer.state(),
      history,
      best,
      ...(stoppedInside && seenAny(stoppedInside) ? { epochProgress: stoppedInside } : {}),
    };
    return {
      history,
      evalSplit,
      test,
      checkpoint,
      bestEpoch: best?.epoch ?? null,
      stoppedBy,
      seconds: (util.now() - started) / 1000,
    };
  } finally {
    optimizer.dispose();
  }
}

/**
 * The cross-entropy of a batch and its gradients for `weights` (the training forward pass). `seeLogits`
 * sees the logits inside the tape: what it makes is tidied away unless it keeps it.
 */
export function lossGradients(
  compiled: CompiledGraph,
  x: Tensor,
  targets: Tensor,
  weights: Variable[],
  seeLogits?: (logits: Tensor) => void,
): { value: Scalar; grads: Record<string, Tensor> } {
  return variableGrads(() => {
    const logits = compiled.logitsModel.apply(x, { training: true }) as Tensor;
    seeLogits?.(logits);
    return losses.softmaxCrossEntropy(targets, logits) as Scalar;
  }, weights);
}

/** One optimization step; returns [loss, accuracy] of the batch as one small tensor (one read per batch). */
function trainStep(
  compiled: CompiledGraph,
  optimizer: Optimizer,
  weights: Variable[],
  x: Tensor,
  labels: Tensor,
  classes: number,
  lr: number,
): Tensor {
  const targets = oneHot(labels, classes);
  let accuracy: Tensor | null = null;
  const { value, grads } = lossGradients(compiled, x, targets, weights, (logits) => {
    // variableGrads tidies everything but the loss: keep the accuracy for the caller.
    accuracy = keep(tidy(() => mean(cast(equal(argMax(logits, 1), labels), 'float32'))));
  });
  optimizer.apply(
    weights.map((w) => grads[w.name]!),
    lr,
  );
  const out = stack([value, accuracy!]);
  dispose([value, accuracy!, targets, ...Object.values(grads)]);
  return out;
}
