import { useState } from 'react';
import { formatBytes, formatCount, formatFlops } from '../../../shared/shapes/quantity-format.ts';
import { ledgerWords, peakBytes, trainingCost } from '../../../shared/train/training-memory.ts';
import { useDocument, useGraph, useInference } from '../document/document-store.ts';
import { inputBounds, recipeField } from '../../../shared/train/recipe-fields.ts';
import { setRecipeField } from '../document/recipe.ts';
import { useTrainingChoice } from '../document/recipe.ts';

/**
 * Totals for the whole graph: parameters, FLOPs, and what training it holds at the recipe's batch and
 * optimizer (the batch here is the recipe's: changing it changes the Train panel's too).
 */
export function StatusBar() {
  const { totals } = useInference();
  const graph = useGraph();
  const { shapeOrder, setShapeOrder } = useDocument();
  const { batch, optimizer } = useTrainingChoice();
  const [refused, setRefused] = useState<string | null>(null);
  // The network's total only: the per-node ledger is the Inspector's and the CLI's.
  const training = trainingCost(totals, batch, optimizer);
  const { trainable, nonTrainable } = totals.params;
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span>{graph.nodes.length} nodes</span>
      <span data-testid="total-params">
        {formatCount(trainable + nonTrainable)} params ({formatCount(trainable)} trainable,{' '}
        {formatCount(nonTrainable)} non-trainable)
      </span>
      <span>{formatFlops(totals.flops)} FLOPs per sample</span>
      <span title={`${ledgerWords(training, batch)}.`} data-testid="training-memory">
        {formatBytes(peakBytes(training))} to train ({optimizer.kind}) at a batch of{' '}
        <input
          type="number"
          {...inputBounds(recipeField('batch'))}
          value={batch}
          onBlur={() => useDocument.getState().sealStep()}
          // The recipe's schema holds the bounds: a batch it refuses is not taken, and why is said.
          onChange={(e) => setRefused(setRecipeField(recipeField('batch'), Number(e.target.value)))}
          aria-label="Batch size"
          aria-invalid={refused ? true : undefined}
        />
        {refused && (
          <small className="field-error" role="alert" data-testid="batch-refused">
            Batch: {refused}; kept {batch}.
          </small>
        )}
      </span>
      <button
        onClick={() => setShapeOrder(shapeOrder === 'CHW' ? 'HWC' : 'CHW')}
        title="Show shapes as C×H×W or H×W×C"
      >
        {shapeOrder === 'CHW' ? 'C×H×W' : 'H×W×C'}
      </button>
    </footer>
  );
}
