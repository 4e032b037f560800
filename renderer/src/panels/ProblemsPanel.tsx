import { useReactFlow } from '@xyflow/react';
import type { Diagnostic } from '../../../shared/shapes/diagnostic.ts';
import { useScope } from '../store/canvas-scope.ts';
import { useDocument } from '../store/document-store.ts';
import { useTraining } from '../train/training-store.ts';
import { useCurrentFit } from '../train/use-current-fit.ts';

/**
 * Every problem in what the canvas shows; clicking one selects and reveals its node. A problem inside a block
 * opens the block and selects the layer at fault.
 */
export function ProblemsPanel() {
  const { inference, inside } = useScope();
  // While the Train panel is open, how the design misfits the data chosen: problems like any other, at their
  // nodes (they were only below the panel's fold).
  const training = useTraining((s) => s.open);
  const fitting = useCurrentFit(training && inside === null).problems;
  const diagnostics = [...inference.diagnostics, ...fitting];
  const select = useDocument((s) => s.select);
  const openBlock = useDocument((s) => s.openBlock);
  const { fitView } = useReactFlow();
  const reveal = (d: Diagnostic) => {
    if (!d.nodeId) return;
    if (d.innerNodeId) {
      const path = d.innerNodeId.slice((inside?.prefix ?? '').length).split('/');
      for (const id of path.slice(0, -1)) openBlock(id);
      // Selected once the block's canvas has mounted: a React Flow mounting with a node already selected
      // and its selection reported back in the same update loops without end (React error #185).
      return void setTimeout(() => select([path[path.length - 1]!]), 0);
    }
    select([d.nodeId]);
    void fitView({ nodes: [{ id: d.nodeId }], duration: 300, maxZoom: 1.2 });
  };
  return (
    <section className="problems" aria-label="Problems">
      <h3>
        Problems <span className="count">{diagnostics.length}</span>
      </h3>
      {diagnostics.length === 0 && <p className="hint">No problems: every shape checks out.</p>}
      {fitting.length > 0 && inference.diagnostics.length === 0 && (
        <p className="hint">Every shape checks out; the network does not fit the data chosen to train on:</p>
      )}
      <ul>
        {diagnostics.map((d, i) => (
          <li key={i} className={d.severity}>
            <button disabled={!d.nodeId} onClick={() => reveal(d)} data-testid="problem">
              <strong>{d.nodeId ? `${d.nodeId}${d.port ? `.${d.port}` : ''}` : 'graph'}</strong> {d.message}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
