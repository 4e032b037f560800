import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './app.css';
import { App } from './app/App.tsx';
import { ErrorBoundary } from './ui/ErrorBoundary.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary area="window">
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
