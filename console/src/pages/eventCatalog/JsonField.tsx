import { useId, type TextareaHTMLAttributes } from 'react';

/**
 * A labelled JSON textarea whose problems (checked as the person types, or the API's 422) are
 * listed under it, announced politely and tied to it by aria-describedby.
 */
export function JsonField({ label, hint, problems, ...textarea }: { label: string; hint?: string; problems: string[] } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', `${id}-problems`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <textarea id={id} rows={12} spellCheck={false} aria-invalid={problems.length > 0 ? true : undefined} aria-describedby={describedBy} {...textarea} />
      <div id={`${id}-problems`} aria-live="polite">
        {problems.map((p) => (
          <p key={p} className="field-error">
            {p}
          </p>
        ))}
      </div>
    </div>
  );
}
