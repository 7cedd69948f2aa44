import { useId, useState, type FormEvent } from 'react';
import type { BasicAuthIn } from '../api/useEndpointAuth.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { apiFieldErrors, type FormErrors } from './apiFieldErrors.ts';
import { FormField } from './FormField.tsx';

const FIELDS = ['username', 'password'] as const;
type Field = (typeof FIELDS)[number];

/** HTTP basic auth: the API shows the username only, so the password is typed anew on every save. */
export function BasicAuthForm({ username, onSave }: { username: string | null; onSave: (body: BasicAuthIn) => Promise<unknown> }) {
  const id = useId();
  const { t } = useI18n();
  const [values, setValues] = useState({ username: username ?? '', password: '' });
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const set = (field: Field) => (value: string) => {
    setSaved(false);
    setValues((v) => ({ ...v, [field]: value }));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    // The API needs the password on every PUT (it never sends the stored one back).
    if (!values.password) {
      setErrors({ password: t('endpointAuth.basic.passwordMissing') });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await onSave({ username: values.username, password: values.password });
      setValues((v) => ({ ...v, password: '' }));
      setSaved(true);
    } catch (err) {
      setErrors(apiFieldErrors(err, FIELDS, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" noValidate aria-label={t('endpointAuth.basic.title')} onSubmit={(e) => void submit(e)}>
      {errors.form && (
        <p className="error-state" role="alert">
          {errors.form}
        </p>
      )}
      <FormField
        id={`${id}-username`}
        label={t('endpointAuth.basic.username')}
        autoComplete="off"
        value={values.username}
        onChange={set('username')}
        error={errors.username}
      />
      <FormField
        id={`${id}-password`}
        label={t('endpointAuth.basic.password')}
        type="password"
        autoComplete="new-password"
        value={values.password}
        onChange={set('password')}
        placeholder={username !== null ? t('endpointAuth.secretSet') : undefined}
        hint={username !== null ? t('endpointAuth.basic.passwordReplaceHint') : undefined}
        error={errors.password}
      />
      <div className="actions">
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? t('form.saving') : t('endpointAuth.basic.save')}
        </button>
      </div>
      {saved && (
        <p role="status" className="success-text">
          {t('endpointAuth.saved')}
        </p>
      )}
    </form>
  );
}
