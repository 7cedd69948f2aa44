import type { ReactNode } from 'react';
import { PageHeader } from '../shell/PageHeader.tsx';

/** The honest body of a page that is not built yet: what it will do, and what works today instead. */
export function NotBuilt({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <PageHeader title={title} />
      <div className="empty-state">
        <h2>Not built yet</h2>
        {children}
      </div>
    </>
  );
}
