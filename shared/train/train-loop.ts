import type { EpochMetrics } from './epoch-metrics.ts';
import { trainingMemoryProblem } from './training-memory.ts';
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
import { Optimizer } from './optimizers.ts';
import type { Checkpoint, EpochProgress } from './checkpoint-file.ts';
import { nextTurn } from './next-turn.ts';
import { mathRandomFor, SeededRandom, withSeededMathRandom } from '../random.ts';
import { learningRate } from './schedules.ts';
import { freezeLayers } from './transfer.ts';
import { skipInputGradients } from './input-gradient.ts';
import { BestWeights, earlyStopping, type EpochCallback } from './epoch-callbacks.ts';
import { readWeights, weightsMisfit, writeWeights } from './weight-values.ts';
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

/** Where an evaluation pass stands: after an epoch on the validation split, or at the end on the test set. */
export interface EvaluationEvent {
  split: 'validation' | 'test';
  /** The test pass after the last batch (not an epoch's evaluation, which may be on the test set too). */
  final: boolean;
  done: number;
  total: number;
  /** Seconds left in the whole run: this pass, and any epochs and passes after it. */
  etaSeconds: number;
}

export interface TrainHooks {
  /** Once, after the data was checked and before the first batch. */
  onStart?(info: { batchesPerEpoch: number }): void;
  onBatchEnd?(e: BatchEvent): void;
  onEpochEnd?(e: EpochMetrics & { evalSplit: 'validation' | 'test' }): void;
  /** After each batch of an evaluation pass: the one after each epoch, and the test pass at the end. */
  onEvaluationBatch?(e: EvaluationEvent): void;
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
    readonly kind: 'incompatibleData' | 'nonFiniteLoss' | 'tooLarge',
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

/** A run as set up before its first batch: the checked data, the split, the optimizer and its weights. */
interface RunSetup {
  compiled: CompiledGraph;
  data: Dataset;
  config: TrainConfig;
  hooks: TrainHooks;
  input: NetworkInput;
  classes: number;
  train: Int32Array;
  evalSplit: 'validation' | 'test';
  evalSet: Dataset['train'];
  evalIndices: Int32Array;
  batchesPerEpoch: number;
  totalSteps: number;
  weights: Variable[];
  optimizer: Optimizer;
}

/** The number of classes the network scores, checked against the data; a clear error when they differ. */
function scoredClasses(compiled: CompiledGraph, data: Dataset): number {
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
  return classes;
}

/** Checks the data against the network, splits it, and starts the weights (fresh, resumed or kept). */
function setUpRun(compiled: CompiledGraph, data: Dataset, config: TrainConfig, hooks: TrainHooks): RunSetup {
  const tooLarge = trainingMemoryProblem(compiled.inference.totals, config.batchSize, config.optimizer);
  if (tooLarge) throw new TrainingError('tooLarge', tooLarge);
  const input = networkInput(compiled.model);
  const incompatible = checkCompatible(data, input, config.preprocess);
  if (incompatible) throw new TrainingError('incompatibleData', incompatible);
  const classes = scoredClasses(compiled, data);
  const split = splitIndices(data.train.count, config.validationFraction, config.seed);
  if (split.train.length === 0 || (config.validationFraction > 0 && split.held.length === 0))
    throw new TrainingError(
      'incompatibleData',
      `${data.name} has ${data.train.count} training images: too few to train on with a validation split of ${config.validationFraction}. Add images or lower the validation split.`,
    );
  const evalSplit = config.validationFraction > 0 ? 'validation' : 'test';
  const batchesPerEpoch = Math.min(
    Math.ceil(split.train.length / config.batchSize),
    config.maxBatchesPerEpoch ?? Infinity,
  );
  hooks.onStart?.({ batchesPerEpoch });
  freezeLayers(compiled, config.freeze);
  skipInputGradients(compiled);
  const weights = compiled.model.trainableWeights.map((w) => w.read() as Variable);
  const optimizer = new Optimizer(config.optimizer, weights);
  if (hooks.resumeFrom) {
    const misfit = weightsMisfit(compiled, hooks.resumeFrom.weights);
    if (misfit) throw new TrainingError('incompatibleData', misfit);
    writeWeights(compiled, hooks.resumeFrom.weights);
    optimizer.restore(hooks.resumeFrom.optimizer);
  } else if (!hooks.keepInitialWeights) {
    initializeWeights(compiled, config.init, config.seed);
  }
  return {
    ...{ compiled, data, config, hooks, input, classes, evalSplit, batchesPerEpoch, weights, optimizer },
    train: split.train,
    evalSet: evalSplit === 'validation' ? data.train : data.test,
    evalIndices: evalSplit === 'validation' ? split.held : range(data.test.count),
    totalSteps: batchesPerEpoch * config.epochs,
  };
}

/** What an epoch's batches add up to, so far (a stopped epoch resumes from these). */
type EpochSums = Pick<EpochProgress, 'lossSum' | 'correct' | 'seen'> & { lr: number; startedAt: number };

/**
 * The loop's counters across epochs: optimizer steps, when it last gave the event loop a turn, and the
 * rates the time left is worked out from (images a second, training and evaluating).
 */
interface LoopCounters {
  step: number;
  lastYield: number;
  trainRate: number | null;
  /** Unknown until a pass has run a batch; 3× the training rate stands in for it till then. */
  evalRate: number | null;
}

/** Images the evaluation passes after `epochsLeft` more epochs evaluate: each epoch's split, then the test set. */
const evaluationsAfter = (run: RunSetup, epochsLeft: number) =>
  epochsLeft * run.evalIndices.length + run.data.test.count;

/** Seconds left for `steps` optimizer steps and `images` evaluated, at the rates measured so far. */
function secondsLeft(run: RunSetup, counters: LoopCounters, steps: number, images: number): number {
  const train = counters.trainRate ?? NaN;
  // Before a pass has run, an image evaluates about 3× faster than it trains (forward only, no backward).
  return (steps * run.config.batchSize) / train + images / (counters.evalRate ?? 3 * train);
}

/**
 * One epoch's batches, from where a resumed run stopped inside it: its sums, or where the user stopped it
 * (after the current batch).
 */
async function trainEpoch(
  run: RunSetup,
  epoch: number,
  counters: LoopCounters,
): Promise<{ sums: EpochSums; stoppedInside?: EpochProgress }> {
  const { config, hooks, data, batchesPerEpoch } = run;
  // Each epoch is seeded on its own, so a resumed run draws exactly what an unbroken one would.
  const epochSeed = config.seed * 1_000_003 + epoch;
  const rng = new SeededRandom(epochSeed);
  const mathRng = mathRandomFor(epochSeed);
  const order = rng.shuffle(run.train.slice());
  // A run stopped inside this epoch goes on from its next batch, generators where they stood.
  const from = epoch === hooks.resumeFrom?.epochsDone ? hooks.resumeFrom.epochProgress : undefined;
  if (from) {
    rng.restore(from.random);
    mathRng.restore(from.mathRandom);
  }
  const sums: EpochSums = {
    lossSum: from?.lossSum ?? 0,
    correct: from?.correct ?? 0,
    seen: from?.seen ?? 0,
    lr: 0,
    startedAt: util.now() - (from?.seconds ?? 0) * 1000,
  };
  for (let b = from?.batchesDone ?? 0; b < batchesPerEpoch; b++) {
    // Timers and signals (Ctrl-C, a stop message) run only when the loop yields a real turn.
    if (util.now() - counters.lastYield > YIELD_EVERY_MS) {
      await nextTurn();
      counters.lastYield = util.now();
    }
    await hooks.whilePaused?.();
    if (hooks.signal?.aborted) {
      const { lossSum, correct, seen, startedAt } = sums;
      const seconds = (util.now() - startedAt) / 1000;
      const stoppedInside = { batchesDone: b, lossSum, correct, seen, seconds };
      return {
        sums,
        stoppedInside: { ...stoppedInside, random: rng.position, mathRandom: mathRng.position },
      };
    }
    sums.lr = learningRate(config.lr, config.schedule, counters.step, batchesPerEpoch, run.totalSteps);
    const idx = order.subarray(b * config.batchSize, (b + 1) * config.batchSize);
    const batch = makeBatch(data.train, idx, data, run.input, config.preprocess, config.augment, rng);
    const metrics = withSeededMathRandom(mathRng, () =>
      trainStep(run.compiled, run.optimizer, run.weights, batch.x, batch.labels, run.classes, sums.lr),
    );
    dispose([batch.x, batch.labels]);
    const [loss, accuracy] = await metrics.data();
    metrics.dispose();
    counters.step += 1;
    if (!Number.isFinite(loss)) {
      throw new TrainingError(
        'nonFiniteLoss',
        `The loss became ${loss} at epoch ${epoch + 1}, batch ${b + 1} (learning rate ${sums.lr.toPrecision(3)}). Lower the learning rate, e.g. to ${(config.lr / 10).toPrecision(2)}, and train again.`,
      );
    }
    sums.lossSum += loss! * idx.length;
    sums.correct += accuracy! * idx.length;
    sums.seen += idx.length;
    const rate = sums.seen / ((util.now() - sums.startedAt) / 1000);
    counters.trainRate = rate;
    hooks.onBatchEnd?.({
      epoch: epoch + 1,
      batch: b + 1,
      batches: batchesPerEpoch,
      loss: loss!,
      accuracy: accuracy!,
      lr: sums.lr,
      samplesPerSec: rate,
      // The time left includes the evaluation passes still to come: the test pass at the end too.
      etaSeconds: secondsLeft(
        run,
        counters,
        run.totalSteps - counters.step,
        evaluationsAfter(run, config.epochs - epoch),
      ),
    });
  }
  return { sums };
}

/**
 * One evaluation pass: the split after epoch `after` (0-based), or the test set at the end; it tells the
 * hooks where it stands after each batch, and what it measures becomes the evaluation rate.
 */
async function evaluationPass(
  run: RunSetup,
  counters: LoopCounters,
  pass: { after: number } | 'test',
): Promise<Evaluation> {
  const { config, hooks } = run;
  const [split, set, indices] =
    pass === 'test'
      ? (['test', run.data.test, range(run.data.test.count)] as const)
      : ([run.evalSplit, run.evalSet, run.evalIndices] as const);
  // After this pass: the epochs still to train and their passes, then the test pass (nothing after that).
  const stepsAfter = pass === 'test' ? 0 : run.totalSteps - counters.step;
  const imagesAfter = pass === 'test' ? 0 : evaluationsAfter(run, config.epochs - pass.after - 1);
  const started = util.now();
  const onBatch = (done: number) => {
    if (done > 0) counters.evalRate = done / Math.max((util.now() - started) / 1000, 1e-3);
    const etaSeconds = secondsLeft(run, counters, stepsAfter, indices.length - done + imagesAfter);
    hooks.onEvaluationBatch?.({ split, final: pass === 'test', done, total: indices.length, etaSeconds });
  };
  const { input, data } = run;
  const { preprocess, batchSize } = config;
  const what = { outputs: 'logits' as const, data, set, indices, input, preprocess, batchSize };
  // Said before its first batch too: on WebGL that one waits for the inference plan's shaders to compile.
  onBatch(0);
  return evaluate(run.compiled.logitsModel, what, onBatch);
}

/** An epoch's metrics: its training sums, and the evaluation split after it. */
async function epochMetrics(
  run: RunSetup,
  epoch: number,
  sums: EpochSums,
  counters: LoopCounters,
): Promise<EpochMetrics> {
  const trainSeconds = (util.now() - sums.startedAt) / 1000;
  const evaluation = await evaluationPass(run, counters, { after: epoch });
  return {
    epoch: epoch + 1,
    trainLoss: sums.lossSum / sums.seen,
    trainAccuracy: sums.correct / sums.seen,
    evalLoss: evaluation.loss,
    evalAccuracy: evaluation.accuracy,
    lr: sums.lr,
    seconds: (util.now() - sums.startedAt) / 1000,
    trainSamplesPerSec: sums.seen / trainSeconds,
  };
}

/**
 * Trains a compiled graph on a dataset: a short loop of epochs, with best weights and early stopping as
 * callbacks around it. Resumable, stoppable, seeded; never leaks tensors between epochs.
 */
export async function trainModel(
  compiled: CompiledGraph,
  data: Dataset,
  config: TrainConfig,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  const run = setUpRun(compiled, data, config, hooks);
  const resume = hooks.resumeFrom;
  const best = new BestWeights(compiled, resume?.best ?? null);
  const patience = config.earlyStoppingPatience;
  const callbacks: EpochCallback[] = [
    best,
    ...(patience ? [earlyStopping(patience, best, config.epochs)] : []),
  ];
  const history = [...(resume?.history ?? [])];
  const counters: LoopCounters = {
    step: resume?.step ?? 0,
    lastYield: util.now(),
    trainRate: null,
    evalRate: null,
  };
  let stoppedBy: TrainResult['stoppedBy'] = 'completed';
  let stoppedInside: EpochProgress | undefined;
  const started = util.now();
  try {
    for (let epoch = resume?.epochsDone ?? 0; epoch < config.epochs; epoch++) {
      const trained = await trainEpoch(run, epoch, counters);
      if (trained.stoppedInside) {
        [stoppedBy, stoppedInside] = ['user', trained.stoppedInside];
        break;
      }
      const metrics = await epochMetrics(run, epoch, trained.sums, counters);
      history.push(metrics);
      hooks.onEpochEnd?.({ ...metrics, evalSplit: run.evalSplit });
      // Every callback sees the epoch (the best weights first), then any may end the training.
      if (callbacks.map((c) => c.onEpochEnd(metrics)).includes('stop')) {
        stoppedBy = 'earlyStopping';
        break;
      }
    }
    // The checkpoint keeps the last weights (a resumed run goes on from them), whatever is tested and saved.
    const lastWeights = readWeights(compiled);
    if (config.restoreBest) best.restore();
    const test = await evaluationPass(run, counters, 'test');
    const checkpoint: Checkpoint = {
      epochsDone: history.length,
      step: counters.step,
      weights: lastWeights,
      optimizer: run.optimizer.state(),
      history,
      best: best.best,
      ...(stoppedInside && seenAny(stoppedInside) ? { epochProgress: stoppedInside } : {}),
    };
    return {
      history,
      evalSplit: run.evalSplit,
      test,
      checkpoint,
      bestEpoch: best.best?.epoch ?? null,
      stoppedBy,
      seconds: (util.now() - started) / 1000,
    };
  } finally {
    run.optimizer.dispose();
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
