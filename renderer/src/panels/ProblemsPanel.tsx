import { useReactFlow } from '@xyflow/react';
import { useDocument, useInference } from '../store/document-store.ts';

/** Every problem in the graph; clicking one selects and reveals its node. */
export function ProblemsPanel() {
  const { diagnostics } = useInference();
  const select = useDocument((s) => s.select);
  const { fitView } = useReactFlow();
  const reveal = (id: string) => {
    select([id]);
    void fitView({ nodes: [{ id }], duration: 300, maxZoom: 1.2 });
  };
  return (
    <section className="problems" aria-label="Problems">
      <h3>
        Problems <span className="count">{diagnostics.length}</span>
      </h3>
      {diagnostics.length === 0 && <p className="hint">No problems: every shape checks out.</p>}
      <ul>
        {diagnostics.map((d, i) => (
          <li key={i} className={d.severity}>
            <button disabled={!d.nodeId} onClick={() => d.nodeId && reveal(d.nodeId)} data-testid="problem">
              <strong>{d.nodeId ? `${d.nodeId}${d.port ? `.${d.port}` : ''}` : 'graph'}</strong> {d.message}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
