import type { z } from 'zod';
import type { LayerKind } from './kind.ts';
import { activation } from './activation.ts';
import { adaptiveAvgPool2d } from './adaptive-avg-pool-2d.ts';
import { add } from './add.ts';
import { avgPool2d } from './avg-pool-2d.ts';
import { batchNorm } from './batch-norm.ts';
import { concat } from './concat.ts';
import { conv2d } from './conv-2d.ts';
import { dense } from './dense.ts';
import { dropout } from './dropout.ts';
import { flatten } from './flatten.ts';
import { globalAvgPool } from './global-avg-pool.ts';
import { input } from './input.ts';
import { maxPool2d } from './max-pool-2d.ts';
import { output } from './output.ts';
import { zeroPadding2d } from './zero-padding-2d.ts';

/**
 * Every layer kind, in palette order. Adding a layer: its file, and one line here.
 * Each kind is typed by its own parameters; here they are erased, which is sound because callers always pass
 * a kind only the output of that same kind's params schema.
 */
const kinds = [
  input,
  conv2d,
  maxPool2d,
  avgPool2d,
  globalAvgPool,
  adaptiveAvgPool2d,
  flatten,
  dense,
  dropout,
  batchNorm,
  activation,
  concat,
  add,
  zeroPadding2d,
  output,
] as const;

export const layerKinds: readonly LayerKind[] = kinds as readonly LayerKind[];

/** Each layer type's parameters as written (defaults optional): what a typed graph builder accepts. */
export type LayerParams = {
  [K in (typeof kinds)[number] as K['type']]: z.input<K['params']>;
};

const byType = new Map(layerKinds.map((k) => [k.type, k]));

export function layerKind(type: string): LayerKind | undefined {
  return byType.get(type);
}

/** Whether a node feeds the network its data (its kind's role is `input`). */
export const isInputNode = (node: { type: string }): boolean => byType.get(node.type)?.role === 'input';

/** Whether a node ends the network (its kind's role is `output`): its scores are the model's. */
export const isOutputNode = (node: { type: string }): boolean => byType.get(node.type)?.role === 'output';

/** A layer's output ports: one, "out", but none for the one that ends the network. */
export const outputPorts = (kind: LayerKind): readonly string[] => (kind.role === 'output' ? [] : ['out']);
