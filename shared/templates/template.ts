import type { Graph } from '../graph/document.ts';
import type { TrainConfigInput } from '../train/train-config.ts';
import type { NetworkOptions } from './network-builder.ts';

export interface Template {
  id: string;
  title: string;
  description: string;
  /** What the recipe feeds it, C×H×W. */
  input: [number, number, number];
  /** The network, for the classes and input channels asked (by default 10 classes, the template's channels). */
  build(options?: NetworkOptions): Graph;
  /** The recipe of the seed the template comes from: a newcomer's first run with it learns. */
  recipe?: TrainConfigInput;
}

/** For a network without a recipe of its own: Adam at 0.001 learns most small networks. */
export const DEFAULT_RECIPE: TrainConfigInput = {
  epochs: 5,
  batchSize: 128,
  lr: 0.001,
  optimizer: { kind: 'adam' },
};
