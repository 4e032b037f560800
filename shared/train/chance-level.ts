/** How many of the latest batches must sit at chance before the panel says so (one noisy batch is not it). */
export const CHANCE_WINDOW = 20;

/**
 * What to tell the user when a run's recent batches are no better than guessing: a quick look at a
 * sigmoid LeNet, which sits at chance for its first few hundred batches (PyTorch's too), is not a broken
 * app. Null while too few batches have run, or once the network does better than 1.5 × chance.
 */
export function chanceNote(accuracies: readonly number[], classes: number): string | null {
  if (classes < 2 || accuracies.length < CHANCE_WINDOW) return null;
  const recent = accuracies.slice(-CHANCE_WINDOW);
  const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
  const chance = 1 / classes;
  if (mean > 1.5 * chance) return null;
  const percent = `${Math.round(100 * chance)}%`;
  return (
    `Accuracy is still at chance (${percent} for ${classes} classes) after ${accuracies.length} batches. ` +
    'Networks with sigmoid activations, such as the d2l LeNet, stay there for their first few hundred ' +
    'batches before they learn (in PyTorch too): give it an epoch. If it stays there, lower the learning ' +
    'rate or use ReLU activations.'
  );
}
