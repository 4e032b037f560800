import { ReactFlowProvider } from '@xyflow/react';
import { useAppEffects } from './app-effects.ts';
import { Canvas } from '../canvas/Canvas.tsx';
import { Inspector } from '../inspector/Inspector.tsx';
import { Palette } from '../palette/Palette.tsx';
import { Dialogs } from './Dialogs.tsx';
import { ErrorBoundary } from '../ui/ErrorBoundary.tsx';
import { NoticeBar } from './NoticeBar.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { StatusBar } from './StatusBar.tsx';
import { Toolbar } from './Toolbar.tsx';
import { useDocument } from '../document/document-store.ts';
import { TrainingPanel } from '../train/TrainingPanel.tsx';
import { useTraining } from '../training/training-store.ts';
import { CompareView } from '../compare/CompareView.tsx';
import { useCompare } from '../compare/compare-store.ts';
import { VariantBar } from '../variants/VariantBar.tsx';
import { runCommand } from './editor-actions.ts';
import { StartScreen } from '../start/StartScreen.tsx';

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
        <VariantBar run={runCommand} />
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
      <StartScreen />
      <Dialogs />
    </div>
  );
}
