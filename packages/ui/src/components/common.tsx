import { createContext, useContext, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/apiError.ts';
import { useUiText, type Status } from './uiText.ts';

// The small components both web apps are built from; their classes are styled by styles/components.css.

/** What a 403 tells the reader to do: each app says who grants more access (the portal: the vendor's product; the console: an owner). */
export const ForbiddenHint = createContext('Your access does not allow this.');

export function Loading({ what }: { what: string }) {
  const text = useUiText();
  return (
    <p className="muted loading" role="status" aria-live="polite">
      {text.loading(what)}
    </p>
  );
}

/** An error with what to do about it; `title` says what failed (a form: "Could not sign in."). */
export function ErrorState({ error, retry, title }: { error: unknown; retry?: () => void; title?: string }) {
  const forbidden = useContext(ForbiddenHint);
  const text = useUiText();
  const message = error instanceof ApiError ? (error.status === 403 ? forbidden : error.message) : error instanceof Error ? error.message : text.somethingWentWrong;
  return (
    <div className="error-state" role="alert">
      <strong>{title ?? text.couldNotLoad}</strong> <span>{message}</span>
      {retry && (
        <button type="button" className="btn small" onClick={retry}>
          {text.tryAgain}
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** A modal dialog on the native <dialog>: focus trap, Escape and backdrop handled by the browser. */
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const text = useUiText();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    }
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog wide' : 'dialog'}
      aria-labelledby={titleId}
      aria-modal="true"
      role="dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="btn ghost small" onClick={onClose} aria-label={text.close}>
          ✕
        </button>
      </div>
      {children}
    </dialog>
  );
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger,
  busy,
  onConfirm,
  onClose,
  error,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  error?: unknown;
}) {
  const text = useUiText();
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="dialog-body">{children}</div>
      {error ? <ErrorState error={error} /> : null}
      <div className="actions end">
        <button type="button" className="btn" onClick={onClose}>
          {text.cancel}
        </button>
        <button type="button" className={danger ? 'btn danger' : 'btn primary'} disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const words = useUiText();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn small"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? words.copied : (label ?? words.copy)}
    </button>
  );
}

export function StatusBadge({ status }: { status: Status }) {
  return <span className={`badge badge-${status}`}>{useUiText().status[status]}</span>;
}

/** A date and time in `locale` (default: the browser's). */
export function formatTime(iso: string, locale?: string): string {
  const d = new Date(iso);
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <pre className="code" aria-label={label} tabIndex={0}>
      {text}
    </pre>
  );
}

/** A titled panel; a <section> named by its heading, so it is a landmark region. */
export function Panel({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
