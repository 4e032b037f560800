import { useReactFlow } from '@xyflow/react';
import type { Diagnostic } from '../../../shared/shapes/diagnostic.ts';
import { useScope } from '../document/canvas-scope.ts';
import { useDocument } from '../document/document-store.ts';
import { useFitProblems } from '../training/use-current-fit.ts';

/** Problems (or notes), each a button that reveals its node. */
function DiagnosticList(props: {
  diagnostics: readonly Diagnostic[];
  reveal(d: Diagnostic): void;
  testId: string;
}) {
  return (
    <ul>
      {props.diagnostics.map((d, i) => (
        <li key={i} className={props.testId === 'note' ? 'note' : d.severity}>
          <button disabled={!d.nodeId} onClick={() => props.reveal(d)} data-testid={props.testId}>
            <strong>{d.nodeId ? `${d.nodeId}${d.port ? `.${d.port}` : ''}` : 'graph'}</strong> {d.message}
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * Every problem in what the canvas shows; clicking one selects and reveals its node. A problem inside a block
 * opens the block and selects the layer at fault.
 */
export function ProblemsPanel() {
  const { inference, inside, fieldNotes } = useScope();
  // While the Train panel is open, how the design misfits the data chosen: problems like any other, at their
  // nodes (they were only below the panel's fold).
  const fitting = useFitProblems();
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
      <DiagnosticList diagnostics={diagnostics} reveal={reveal} testId="problem" />
      {fieldNotes.length > 0 && (
        <>
          <h3>Notes</h3>
          {/* What the receptive field says of the design: worth knowing, not a problem to fix. */}
          <DiagnosticList diagnostics={fieldNotes} reveal={reveal} testId="note" />
        </>
      )}
    </section>
  );
}
