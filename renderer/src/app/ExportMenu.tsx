import { useState } from 'react';
import { exportAs, type DocumentExport } from './export-actions.ts';

const WHAT: Record<DocumentExport, string> = {
  json: 'Graph file (JSON)',
  svg: 'Diagram (SVG)',
  png: 'Diagram (PNG)',
  zip: 'PyTorch project (ZIP)',
  py: 'Keras script (.py)',
};

/** "Export": the graph file, a picture of what the canvas shows, or the design as a PyTorch project. */
export function ExportMenu() {
  const [shown, setShown] = useState(false);
  return (
    <span className="open-menu">
      <button onClick={() => setShown((s) => !s)} data-testid="export">
        Export…
      </button>
      {shown && (
        <ul className="menu" role="menu">
          {(Object.keys(WHAT) as DocumentExport[]).map((format) => (
            <li key={format}>
              <button
                role="menuitem"
                onClick={() => {
                  setShown(false);
                  void exportAs(format);
                }}
                data-testid={`export-${format}`}
              >
                {WHAT[format]}
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
