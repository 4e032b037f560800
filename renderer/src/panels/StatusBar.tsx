import { useState } from 'react';
import { formatBytes, formatCount, formatFlops } from '../../../shared/shapes/quantity-format.ts';
import { useDocument, useGraph, useInference } from '../store/document-store.ts';

/** Totals for the whole graph: parameters, FLOPs, and activation memory for a batch. */
export function StatusBar() {
  const { totals } = useInference();
  const graph = useGraph();
  const { shapeOrder, setShapeOrder } = useDocument();
  const [batch, setBatch] = useState(32);
  const { trainable, nonTrainable } = totals.params;
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span>{graph.nodes.length} nodes</span>
      <span data-testid="total-params">
        {formatCount(trainable + nonTrainable)} params ({formatCount(trainable)} trainable,{' '}
        {formatCount(nonTrainable)} non-trainable)
      </span>
      <span>{formatFlops(totals.flops)} FLOPs per sample</span>
      <span>
        {formatBytes(totals.memoryBytes * batch)} activations for a batch of{' '}
        <input
          type="number"
          min={1}
          max={4096}
          value={batch}
          onChange={(e) => setBatch(Math.max(1, Number(e.target.value) || 1))}
          aria-label="Batch size"
        />
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
