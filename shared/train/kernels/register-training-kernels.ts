import { getKernel, registerKernel, unregisterKernel, type KernelFunc } from '@tensorflow/tfjs-core';
import { BATCH_MOMENTS, BATCH_NORM_GRAD } from '../../layers/tfjs/batch-norm-training.ts';
import { avgPoolGrad } from './avg-pool-grad.ts';
import { batchNormGrad } from './batch-norm-grad.ts';
import { channelConcat } from './channel-concat.ts';
import { channelSplit } from './channel-split.ts';
import { channelMoments } from './channel-moments.ts';
import { untransposedBatchMatMul } from './batch-mat-mul.ts';
import { perChannelBatchNorm } from './batch-norm.ts';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.ts';
import { fastConv2dBackpropInput } from './conv2d-backprop-input.ts';
import { perChannelReduction } from './leading-axes-reduce.ts';
import { maxPoolGrad } from './max-pool-grad.ts';
import { pixelRowsSlice } from './pixel-rows-slice.ts';
import { sharedIdentity } from './shared-identity.ts';

/**
 * Training speed-ups for tfjs 4.22, each measured with bench/train.bench.ts and tested against the cpu
 * backend: wasm kernels that are missing, and faster ones in place of wasm's own.
 */

/**
 * Puts a kernel in place of wasm's own, keeping the original's setup: wasm kernels bind their C function
 * there when the backend starts, so a backend started after the replacement (cpu or webgl first, as auto's
 * timing does) still has it.
 */
function replaceWasmKernel(name: string, make: (original: KernelFunc) => KernelFunc): void {
  const original = getKernel(name, 'wasm');
  if (!original) return;
  unregisterKernel(name, 'wasm');
  registerKernel({ ...original, kernelFunc: make(original.kernelFunc) });
}

let registered = false;

/** Adds the missing and faster training kernels; call after the backends are registered. */
export function registerTrainingKernels(): void {
  if (registered) return;
  registered = true;
  if (!getKernel('Conv2DBackpropFilter', 'wasm')) {
    registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: conv2dBackpropFilter as KernelFunc,
    });
  }
  for (const [kernelName, kernelFunc] of [
    [BATCH_MOMENTS, channelMoments],
    [BATCH_NORM_GRAD, batchNormGrad],
  ] as const) {
    registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc });
  }
  replaceWasmKernel('Conv2DBackpropInput', (original) => fastConv2dBackpropInput(original) as KernelFunc);
  replaceWasmKernel('BatchMatMul', (original) => untransposedBatchMatMul(original) as KernelFunc);
  replaceWasmKernel('MaxPoolGrad', () => maxPoolGrad as KernelFunc);
  replaceWasmKernel('AvgPoolGrad', () => avgPoolGrad as KernelFunc);
  replaceWasmKernel('FusedBatchNorm', (original) => perChannelBatchNorm(original) as KernelFunc);
  replaceWasmKernel('Sum', (original) => perChannelReduction('sum')(original) as KernelFunc);
  replaceWasmKernel('Identity', (original) => sharedIdentity(original) as KernelFunc);
  replaceWasmKernel('Concat', (original) => channelConcat(original) as KernelFunc);
  replaceWasmKernel('SplitV', (original) => channelSplit(original) as KernelFunc);
  replaceWasmKernel('Slice', (original) => pixelRowsSlice(original) as KernelFunc);
  replaceWasmKernel('Mean', (original) => perChannelReduction('mean')(original) as KernelFunc);
}
