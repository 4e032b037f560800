import type { Graph } from '../graph/document.ts';
import { trainConfigSchema, type TrainConfig, type TrainConfigInput } from '../train/train-config.ts';
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

/**
 * The recipe a design trains with unless told otherwise: its document's own, else its template's, else the
 * default. The app, the CLI's train and compare, and the PyTorch export all start from it, so they agree.
 * Unchecked: each user parses it and says what is wrong in its own terms.
 */
export const startingRecipe = (saved: unknown, template?: Pick<Template, 'recipe'>): unknown =>
  saved ?? template?.recipe ?? DEFAULT_RECIPE;

/**
 * The recipe a document keeps: its starting recipe, whole (defaults filled in), with no resize (that follows
 * from the graph and the data at each run). A saved one that does not parse gives way to the default.
 */
export function documentRecipe(saved: unknown, template?: Pick<Template, 'recipe'>): TrainConfig {
  const parsed = trainConfigSchema.safeParse(startingRecipe(saved, template));
  const recipe = parsed.success ? parsed.data : trainConfigSchema.parse(DEFAULT_RECIPE);
  return { ...recipe, preprocess: { ...recipe.preprocess, resize: null } };
}
