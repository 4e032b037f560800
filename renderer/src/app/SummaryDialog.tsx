import { formatSummary, summarize } from '../../../shared/shapes/summary-table.ts';
import { useDocument, useGraph, useInference } from '../document/document-store.ts';

/** The Keras-style summary, the same table as `blockwise summary`. */
export function SummaryDialog({ onClose }: { onClose: () => void }) {
  const graph = useGraph();
  const inference = useInference();
  const order = useDocument((s) => s.shapeOrder);
  return (
    <div className="overlay" role="dialog" aria-label="Summary" onClick={onClose}>
      <pre className="summary-table" data-testid="summary-table" onClick={(e) => e.stopPropagation()}>
        {formatSummary(summarize(graph, inference), order)}
      </pre>
    </div>
  );
}
