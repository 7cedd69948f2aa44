import { useId, type FormEvent } from 'react';
import type { BasicAuthIn } from '../api/useEndpointAuth.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { FormField } from './FormField.tsx';
import { SaveActions, useSettingsForm } from './settingsFormState.tsx';

const FIELDS = ['username', 'password'] as const;

/** HTTP basic auth: the API shows the username only, so the password is typed anew on every save. */
export function BasicAuthForm({ username, onSave }: { username: string | null; onSave: (body: BasicAuthIn) => Promise<unknown> }) {
  const id = useId();
  const { t } = useI18n();
  const { values, set, errors, setErrors, busy, saved, save } = useSettingsForm({ username: username ?? '', password: '' }, FIELDS);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // The API needs the password on every PUT (it never sends the stored one back).
    if (!values.password) {
      setErrors({ password: t('endpointAuth.basic.passwordMissing') });
      return;
    }
    await save(() => onSave({ username: values.username, password: values.password }), { password: '' });
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
      <SaveActions busy={busy} saved={saved} label={t('endpointAuth.basic.save')} savedText={t('endpointAuth.saved')} />
    </form>
  );
}
