import { useState, type FormEvent } from 'react';

/**
 * One form's submission: `submit(e, send)` keeps the page from reloading, clears the last error and
 * keeps the form busy while `send` runs; a failure shows its error and frees the form. A success
 * moves on (the next step or page), so the form stays busy.
 */
export function useFormSubmission(): { error: unknown; busy: boolean; submit: (e: FormEvent, send: () => Promise<unknown>) => void } {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent, send: () => Promise<unknown>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    send().catch((err: unknown) => {
      setError(err);
      setBusy(false);
    });
  };
  return { error, busy, submit };
}
