import { useEffect, type ReactNode } from 'react';
import { ThemeToggle } from '../shell/ThemeToggle.tsx';

/** The frame of every signed-out page: a centred card with the product's name, one heading and the page's form. */
export function AuthLayout({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Hookline console`;
  }, [title]);
  return (
    <div className="auth">
      <header className="auth-top">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ⚓
          </span>
          <span className="brand-name">Hookline console</span>
        </div>
        <ThemeToggle />
      </header>
      <main className="auth-main">
        <div className="card auth-card">
          <h1>{title}</h1>
          {children}
        </div>
        {footer && (
          <nav className="auth-links" aria-label="Other ways in">
            {footer}
          </nav>
        )}
      </main>
    </div>
  );
}
