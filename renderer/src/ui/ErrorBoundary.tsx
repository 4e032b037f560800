import { Component, type ReactNode } from 'react';

/**
 * A part of the window that failed to draw shows what happened and a way back, never a blank window. The
 * document lives in the store, outside React: nothing of it is lost, and "Show it again" redraws the part.
 */
export class ErrorBoundary extends Component<{ area: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="crash" role="alert" data-testid="crash">
        <h2>The {this.props.area} failed to draw</h2>
        <p>{error.message}. Your document is safe: nothing was lost, and Save, Undo and Export still work.</p>
        <button onClick={() => this.setState({ error: null })}>Show it again</button>
      </div>
    );
  }
}
