import { fieldSpec, FLAG_FIELDS, RECIPE_FLAGS, type RecipeFlag } from '../../shared/train/recipe-fields.ts';

/**
 * Every option of the CLI with its type (the one table parseArgs reads), and the groups of them that several
 * commands take. Each command declares the options it takes; the registry refuses any other.
 */
const str = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

/** The recipe's flags: switches where the field is a yes/no, text for the rest. */
const RECIPE_OPTION_TYPES = Object.fromEntries(
  FLAG_FIELDS.map((f) => [f.name, fieldSpec(f)?.kind === 'boolean' ? flag : str]),
) as Record<RecipeFlag, typeof str | typeof flag>;

export const OPTION_TYPES = {
  ...RECIPE_OPTION_TYPES,
  input: str,
  classes: str,
  channels: str,
  json: flag,
  expand: flag,
  'receptive-field': flag,
  'train-memory': flag,
  hwc: flag,
  to: str,
  out: str,
  run: str,
  graph: str,
  csv: str,
  differences: flag,
  train: flag,
  runs: str,
  chart: str,
  'chart-x': str,
  param: { type: 'string', multiple: true },
  'topology-only': flag,
  dataset: str,
  backend: str,
  threads: str,
  resume: str,
  'start-from': str,
  engine: str,
  image: str,
  layers: str,
  layer: str,
  class: str,
  help: { type: 'boolean', short: 'h' },
} as const;

export type OptionName = keyof typeof OPTION_TYPES;

/** A template built for other classes or channels: every command that reads a graph source. */
export const SOURCE_OPTIONS = ['classes', 'channels'] as const satisfies readonly OptionName[];
/** A source loaded with another input shape. */
export const LOADED_OPTIONS = [...SOURCE_OPTIONS, 'input'] as const satisfies readonly OptionName[];
/** The data and where it is computed. */
export const DATA_OPTIONS = ['dataset', 'backend', 'threads'] as const satisfies readonly OptionName[];
/** The training recipe's flags: the recipe table's (shared/train/recipe-fields.ts). */
export const RECIPE_OPTIONS = RECIPE_FLAGS;
