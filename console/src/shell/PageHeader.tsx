import type { ReactNode } from 'react';

/** A page's one <h1> (the shell moves focus to it after navigation), with optional actions on the right. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div className="min0">
        <h1 tabIndex={-1} data-page-title="">
          {title}
        </h1>
        {description && <p className="muted">{description}</p>}
      </div>
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}
