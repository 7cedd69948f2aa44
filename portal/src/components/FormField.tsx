import type { ReactNode } from 'react';

/**
 * One labelled input (or textarea) with its hint and its error, the error linked by
 * aria-describedby so a screen reader reads it with the field (as EndpointForm's fields).
 */
export function FormField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  rows,
  type = 'text',
  placeholder,
  inputMode,
  autoComplete,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  /** A textarea of this many rows instead of an input. */
  rows?: number;
  type?: 'text' | 'password' | 'url';
  placeholder?: string;
  inputMode?: 'numeric' | 'url' | 'text';
  autoComplete?: string;
  /** After the input: e.g. a file picker that fills it. */
  children?: ReactNode;
}) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: id,
    value,
    placeholder,
    'aria-invalid': Boolean(error),
    'aria-describedby': describedBy,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {rows ? (
        <textarea {...common} rows={rows} spellCheck={false} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type={type} inputMode={inputMode} autoComplete={autoComplete} onChange={(e) => onChange(e.target.value)} />
      )}
      {children}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
