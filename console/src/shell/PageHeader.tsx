import { useEffect, useRef, type ReactNode } from 'react';
import { takeFocusRequest } from '../routing/router.tsx';

/** A page's one <h1> (focused after a navigation to the page), with optional actions on the right. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocusRequest()) ref.current?.focus();
  }, []);
  return (
    <div className="page-header">
      <div className="min0">
        <h1 tabIndex={-1} ref={ref}>
          {title}
        </h1>
        {description && <p className="muted">{description}</p>}
      </div>
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}
