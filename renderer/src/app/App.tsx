import { ReactFlowProvider } from '@xyflow/react';
import { Panel } from 'react-resizable-panels';
import { useAppEffects } from './app-effects.ts';
import { Canvas } from '../canvas/Canvas.tsx';
import { Inspector } from '../inspector/Inspector.tsx';
import { Palette } from '../palette/Palette.tsx';
import { Dialogs } from './Dialogs.tsx';
import { ErrorBoundary } from '../ui/ErrorBoundary.tsx';
import { SplitGroup, Splitter } from '../ui/SplitGroup.tsx';
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
import './app-layout.css';

/** The rows' panels: the designer alone, or above the Train panel (each set keeps its own sizes). */
const ROWS = { designer: ['panel-designer'], training: ['panel-designer', 'panel-train'] };

export function App() {
  useAppEffects();
  const training = useTraining((s) => s.open);
  const comparing = useCompare((s) => s.open);
  return (
    <div className="app">
      <Toolbar />
      <SplitGroup
        id="blockwise-rows"
        orientation="vertical"
        panelIds={training ? ROWS.training : ROWS.designer}
        className="app-rows"
      >
        <Panel id="panel-designer" minSize={160} style={{ overflow: 'hidden' }}>
          <Designer />
        </Panel>
        {training && <Splitter label="Train panel height" testId="splitter-train" />}
        {training && (
          <Panel id="panel-train" defaultSize="40%" minSize={120} style={{ overflow: 'hidden' }}>
            <ErrorBoundary area="training panel">
              <TrainingPanel />
            </ErrorBoundary>
          </Panel>
        )}
      </SplitGroup>
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

/** Palette | notices over the canvas | inspector and problems, with splitters between. */
function Designer() {
  const canvasId = useDocument((s) => s.canvasId);
  const openBlocks = useDocument((s) => s.openBlocks.join('/'));
  return (
    // A fresh React Flow store per document and open block: nothing (selection, sizes, view) carries over.
    <ReactFlowProvider key={`${canvasId}:${openBlocks}`}>
      <SplitGroup id="blockwise-columns" orientation="horizontal" className="app-columns">
        <Panel
          id="panel-palette"
          defaultSize={220}
          minSize={150}
          maxSize={420}
          groupResizeBehavior="preserve-pixel-size"
          style={{ overflow: 'hidden' }}
        >
          <Palette />
        </Panel>
        <Splitter label="Palette width" testId="splitter-palette" />
        <Panel id="panel-canvas" minSize={280} className="canvas-column" style={{ overflow: 'hidden' }}>
          <div className="notices">
            <NoticeBar />
            <VariantBar run={runCommand} />
          </div>
          <ErrorBoundary area="canvas">
            <Canvas />
          </ErrorBoundary>
        </Panel>
        <Splitter label="Inspector width" testId="splitter-side" />
        <Panel
          id="panel-side"
          defaultSize={300}
          minSize={220}
          maxSize={560}
          groupResizeBehavior="preserve-pixel-size"
          className="side"
          style={{ overflow: 'hidden' }}
        >
          <ErrorBoundary area="side panel">
            <Inspector />
            <ProblemsPanel />
          </ErrorBoundary>
        </Panel>
      </SplitGroup>
    </ReactFlowProvider>
  );
}
