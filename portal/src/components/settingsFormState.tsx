import { useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { apiFieldErrors, type FormErrors } from './apiFieldErrors.ts';

/**
 * A settings form's state: its values, errors per field, whether a save is under way and whether
 * the last one went through (until the next edit). `save` sends, and puts an API error's issues on
 * the fields; `clear` empties what was typed for that save only (a secret).
 */
export function useSettingsForm<V extends object, F extends string>(initial: V | (() => V), fields: readonly F[]) {
  const { t } = useI18n();
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<FormErrors<F>>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const set = (field: keyof V) => (value: string) => {
    setSaved(false);
    setValues((v) => ({ ...v, [field]: value }));
  };
  async function save(send: () => Promise<unknown>, clear: Partial<V> = {}): Promise<void> {
    setErrors({});
    setBusy(true);
    try {
      await send();
      setValues((v) => ({ ...v, ...clear }));
      setSaved(true);
    } catch (err) {
      setErrors(apiFieldErrors(err, fields, t));
    } finally {
      setBusy(false);
    }
  }
  return { values, set, errors, setErrors, busy, saved, save };
}

/** The form's save button, and its confirmation once saved. */
export function SaveActions({ busy, saved, label, savedText }: { busy: boolean; saved: boolean; label: string; savedText: string }) {
  const { t } = useI18n();
  return (
    <>
      <div className="actions">
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? t('form.saving') : label}
        </button>
      </div>
      {saved && (
        <p role="status" className="success-text">
          {savedText}
        </p>
      )}
    </>
  );
}
