/** The files of a run folder, by name: one format for the CLI's runs and the app's. */
export const RUN_FILE_NAMES = [
  'run.json',
  'model.json',
  'weights.bin',
  'checkpoint.bin',
  'graph.blockwise.json',
] as const;
export type RunFileName = (typeof RUN_FILE_NAMES)[number];
