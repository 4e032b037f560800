/**
 * Every option of the CLI with its type (the one table parseArgs reads), and the groups of them that several
 * commands take. Each command declares the options it takes; the registry refuses any other.
 */
const str = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

export const OPTION_TYPES = {
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
  csv: str,
  differences: flag,
  train: flag,
  runs: str,
  chart: str,
  'chart-x': str,
  param: { type: 'string', multiple: true },
  'topology-only': flag,
  dataset: str,
  epochs: str,
  batch: str,
  lr: str,
  optimizer: str,
  momentum: str,
  nesterov: flag,
  'weight-decay': str,
  schedule: str,
  warmup: str,
  resize: str,
  normalize: str,
  augment: str,
  init: str,
  validation: str,
  patience: str,
  'max-batches': str,
  seed: str,
  backend: str,
  threads: str,
  resume: str,
  'restore-best': flag,
  engine: str,
  help: { type: 'boolean', short: 'h' },
} as const;

export type OptionName = keyof typeof OPTION_TYPES;

/** A template built for other classes or channels: every command that reads a graph source. */
export const SOURCE_OPTIONS = ['classes', 'channels'] as const satisfies readonly OptionName[];
/** A source loaded with another input shape. */
export const LOADED_OPTIONS = [...SOURCE_OPTIONS, 'input'] as const satisfies readonly OptionName[];
/** The data and where it is computed. */
export const DATA_OPTIONS = ['dataset', 'backend', 'threads'] as const satisfies readonly OptionName[];
/** The training recipe's flags. */
export const RECIPE_OPTIONS = [
  'epochs',
  'batch',
  'lr',
  'optimizer',
  'momentum',
  'nesterov',
  'weight-decay',
  'schedule',
  'warmup',
  'resize',
  'normalize',
  'augment',
  'init',
  'validation',
  'patience',
  'max-batches',
  'seed',
  'restore-best',
] as const satisfies readonly OptionName[];
