import { ReactFlowProvider } from '@xyflow/react';
import { useAppEffects } from './app-effects.ts';
import { Canvas } from './canvas/Canvas.tsx';
import { Inspector } from './inspector/Inspector.tsx';
import { Palette } from './palette/Palette.tsx';
import { Dialogs } from './panels/Dialogs.tsx';
import { ErrorBoundary } from './panels/ErrorBoundary.tsx';
import { NoticeBar } from './panels/NoticeBar.tsx';
import { ProblemsPanel } from './panels/ProblemsPanel.tsx';
import { StatusBar } from './panels/StatusBar.tsx';
import { Toolbar } from './panels/Toolbar.tsx';
import { useDocument } from './store/document-store.ts';
import { TrainingPanel } from './train/TrainingPanel.tsx';
import { useTraining } from './train/training-store.ts';
import { CompareView } from './compare/CompareView.tsx';
import { useCompare } from './compare/compare-store.ts';
import { VariantBar } from './variants/VariantBar.tsx';

export function App() {
  useAppEffects();
  const canvasId = useDocument((s) => s.canvasId);
  const openBlocks = useDocument((s) => s.openBlocks.join('/'));
  const training = useTraining((s) => s.open);
  const comparing = useCompare((s) => s.open);
  return (
    <div className={training ? 'app with-training' : 'app'}>
      <Toolbar />
      <Palette />
      <div className="notices">
        <NoticeBar />
        <VariantBar />
      </div>
      {/* A fresh React Flow store per document and open block: nothing (selection, sizes, view) carries over. */}
      <ReactFlowProvider key={`${canvasId}:${openBlocks}`}>
        <ErrorBoundary area="canvas">
          <Canvas />
        </ErrorBoundary>
        <div className="side">
          <ErrorBoundary area="side panel">
            <Inspector />
            <ProblemsPanel />
          </ErrorBoundary>
        </div>
      </ReactFlowProvider>
      {training && (
        <ErrorBoundary area="training panel">
          <TrainingPanel />
        </ErrorBoundary>
      )}
      <StatusBar />
      {comparing && (
        <ErrorBoundary area="compare view">
          <CompareView />
        </ErrorBoundary>
      )}
      <Dialogs />
    </div>
  );
}
