import { ApiError } from '@hookline/ui';

/** Problems of a form: per field, and `form` for what concerns no field (a 403, a network failure). */
export type ProblemsOf<F extends string> = Partial<Record<F | 'form', string>>;

/** Puts an API error's 422 issues on the form's own fields; anything else goes above the form. */
export function problemsFromApi<F extends string>(error: unknown, fields: readonly F[], fallback: string): ProblemsOf<F> {
  if (!(error instanceof ApiError)) return { form: error instanceof Error ? error.message : fallback } as ProblemsOf<F>;
  if (typeof error.detail === 'string') return { form: error.detail } as ProblemsOf<F>;
  const out: ProblemsOf<F> = {};
  const rest: string[] = [];
  for (const [key, msg] of Object.entries(error.fieldErrors())) {
    if ((fields as readonly string[]).includes(key)) out[key as F] = msg;
    else rest.push(`${key}: ${msg}`);
  }
  if (rest.length) out.form = rest.join(' ');
  return out;
}

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
