/** A field's error text, which the field names in aria-describedby. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  );
}

/** The ids an input's aria-describedby lists: its error (when it has one) and its hint. */
export function describedBy(error: string | undefined, errorId: string, hintId?: string): string | undefined {
  return [error ? errorId : null, hintId ?? null].filter(Boolean).join(' ') || undefined;
}
