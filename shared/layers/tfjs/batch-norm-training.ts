import {
  add,
  batchNorm,
  customGrad,
  div,
  engine,
  getBackend,
  getKernel,
  moments,
  mul,
  rsqrt,
  scalar,
  sub,
  sum,
  tidy,
  type GradSaveFunc,
  type Tensor,
} from '@tensorflow/tfjs-core';
import type { layers } from '@tensorflow/tfjs-layers';

type BatchNormalization = ReturnType<typeof layers.batchNormalization>;
type Kwargs = Parameters<BatchNormalization['call']>[1];

/**
 * Kernels a backend may register to do the two halves in fewer passes (shared/train/kernels, for wasm):
 * BATCH_MOMENTS answers [mean, variance] per channel of x; BATCH_NORM_GRAD answers [dx, dγ, dβ] from
 * dy, x, mean, variance and γ. Where the backend has none, the tensor operations below do the same.
 */
export const BATCH_MOMENTS = 'BatchMoments';
export const BATCH_NORM_GRAD = 'BatchNormGrad';
export type BatchNormGradAttrs = { varianceEpsilon: number };

const backendHas = (kernel: string) => getKernel(kernel, getBackend()) !== undefined;

/** x's per-channel mean and (biased) variance. */
function batchMoments(x: Tensor, axes: number[]): { mean: Tensor; variance: Tensor } {
  if (!backendHas(BATCH_MOMENTS) || x.dtype !== 'float32') return moments(x, axes);
  const [mean, variance] = engine().runKernel(BATCH_MOMENTS, { x }) as [Tensor, Tensor];
  return { mean, variance };
}

/** The closed-form gradient (see normalizeBatch): [dx, dγ, dβ]. */
function batchNormGradient(
  [dy, x, gamma, mean, variance]: [Tensor, Tensor, Tensor, Tensor, Tensor],
  axes: number[],
  epsilon: number,
): Tensor[] {
  if (backendHas(BATCH_NORM_GRAD) && x.dtype === 'float32') {
    const attrs: BatchNormGradAttrs = { varianceEpsilon: epsilon };
    return engine().runKernel(BATCH_NORM_GRAD, { dy, x, mean, variance, gamma }, attrs) as Tensor[];
  }
  const perChannel = x.size / x.shape[x.rank - 1]!;
  const inv = rsqrt(add(variance, scalar(epsilon)));
  const xHat = mul(sub(x, mean), inv);
  const dBeta = sum(dy, axes);
  const dGamma = sum(mul(dy, xHat), axes);
  const centred = sub(dy, div(dBeta, perChannel));
  const dx = mul(sub(centred, mul(xHat, div(dGamma, perChannel))), mul(gamma, inv));
  return [dx, dGamma, dBeta];
}

/**
 * Batch normalization of a training batch, y = γ·(x − μ)/σ + β with the batch's μ and σ², and its gradient
 * in closed form:
 *   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ/σ · (dy − dβ/m − x̂·dγ/m)   (x̂ = (x − μ)/σ, sums over all but channels)
 * tfjs-layers differentiates through moments() and FusedBatchNorm instead: about three times the tensor
 * operations, most of a ResNet-mini step's element-wise work. Same values, fewer passes over memory.
 */
export function normalizeBatch(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  epsilon: number,
): { y: Tensor; mean: Tensor; variance: Tensor } {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const { mean, variance } = batchMoments(x, axes);
  const normalize = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [xs, g, b, save] = args as [Tensor, Tensor, Tensor, GradSaveFunc];
    save([xs, g, mean, variance]);
    return {
      value: batchNorm(xs, mean, variance, b, g, epsilon),
      gradFunc: (dy: Tensor, saved: Tensor[]) =>
        batchNormGradient([dy, ...(saved as [Tensor, Tensor, Tensor, Tensor])], axes, epsilon),
    };
  });
  return { y: normalize(x, gamma, beta), mean, variance };
}

/**
 * Makes a tfjs BatchNormalization layer train through normalizeBatch. Only its training call changes:
 * inference, weights, moving statistics and the saved model stay tfjs's own.
 */
export function withClosedFormTraining(layer: BatchNormalization) {
  const { epsilon, momentum } = layer.getConfig() as { epsilon: number; momentum: number };
  const inference = layer.call.bind(layer);
  const named = (suffix: string) => {
    const found = layer.weights.find((w) => w.originalName.split('/').pop() === suffix);
    if (!found) throw new Error(`BatchNormalization ${layer.name} has no ${suffix} weight`);
    return found;
  };
  layer.call = (inputs: Tensor | Tensor[], kwargs: Kwargs) => {
    if (kwargs['training'] !== true) return inference(inputs, kwargs);
    return tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const { y, mean, variance } = normalizeBatch(x, named('gamma').read(), named('beta').read(), epsilon);
      // The batch normalises with its biased variance, but the moving variance takes the unbiased one, as
      // PyTorch's BatchNorm does (÷(n−1); tfjs and Keras take ÷n): a network trained here then evaluates as
      // its PyTorch export would after the same steps.
      const perChannel = x.size / x.shape[x.shape.length - 1]!;
      const unbiased = mul(variance, scalar(perChannel / Math.max(perChannel - 1, 1)));
      // Keras's moving average: moving ← moving − (moving − batch)·(1 − momentum).
      for (const [moving, batch] of [
        [named('moving_mean'), mean],
        [named('moving_variance'), unbiased],
      ] as const) {
        const old = moving.read();
        moving.write(sub(old, mul(sub(old, batch), scalar(1 - momentum))));
      }
      return y;
    });
  };
  return layer;
}
