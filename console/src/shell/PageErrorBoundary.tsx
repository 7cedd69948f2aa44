import { Component, type ReactNode } from 'react';
import { ErrorState } from '@hookline/ui';

/** Keeps one page's crash (or a page bundle that failed to load) inside the main area; the shell stays usable. */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    if (this.state.error) return <ErrorState error={this.state.error} title="This page failed." retry={() => window.location.reload()} />;
    return this.props.children;
  }
}
