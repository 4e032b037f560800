import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas.tsx';
import { Inspector } from './inspector/Inspector.tsx';
import { Palette } from './palette/Palette.tsx';
import { ProblemsPanel } from './panels/ProblemsPanel.tsx';
import { NoticeBar } from './panels/NoticeBar.tsx';
import { StatusBar } from './panels/StatusBar.tsx';
import { Toolbar } from './panels/Toolbar.tsx';
import { useDocument } from './store/document-store.ts';

export function App() {
  const documentId = useDocument((s) => s.documentId);
  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar />
        <Palette />
        <div className="center">
          <NoticeBar />
          <Canvas key={documentId} />
        </div>
        <div className="side">
          <Inspector />
          <ProblemsPanel />
        </div>
        <StatusBar />
      </div>
    </ReactFlowProvider>
  );
}
