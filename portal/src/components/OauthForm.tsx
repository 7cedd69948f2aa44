import { useId, type FormEvent } from 'react';
import type { OauthConfig, OauthConfigIn } from '../api/useEndpointAuth.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { english, type Translate } from '../i18n/translator.ts';
import type { FormErrors } from './apiFieldErrors.ts';
import { FormField } from './FormField.tsx';
import { SaveActions, useSettingsForm } from './settingsFormState.tsx';

export const OAUTH_FIELDS = ['tokenUrl', 'clientId', 'clientSecret', 'authMethod', 'scopes', 'extraParams', 'grantType'] as const;
type Field = (typeof OAUTH_FIELDS)[number];
type AuthMethod = 'clientSecretBasic' | 'clientSecretPost';
export interface OauthValues {
  tokenUrl: string;
  clientId: string;
  /** Write-only: always starts empty; empty on save keeps the stored secret. */
  clientSecret: string;
  authMethod: AuthMethod;
  scopes: string;
  extraParams: string;
}
// Example values in the placeholders: the same in every language.
const EXAMPLE_TOKEN_URL = 'https://auth.example.com/oauth/token';
const EXAMPLE_SCOPES = 'webhooks:write';
const EXAMPLE_PARAMS = 'audience=https://api.example.com';

export function oauthValuesOf(config: OauthConfig | null | undefined): OauthValues {
  return {
    tokenUrl: config?.tokenUrl ?? '',
    clientId: config?.clientId ?? '',
    clientSecret: '',
    authMethod: config?.authMethod === 'clientSecretPost' ? 'clientSecretPost' : 'clientSecretBasic',
    scopes: config?.scopes?.join(' ') ?? '',
    extraParams: Object.entries(config?.extraParams ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  };
}

/** The PUT body: scopes split on spaces, extra parameters one `name=value` a line; no secret sent when none was typed. */
export function oauthBodyOf(v: OauthValues, t: Translate = english.t): { errors: FormErrors<Field>; body?: OauthConfigIn } {
  const extraParams: Record<string, string> = {};
  for (const line of v.extraParams.split('\n')) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    if (at < 1) return { errors: { extraParams: t('endpointAuth.error.extraParams', { line: line.trim() }) } };
    extraParams[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  const scopes = v.scopes.split(/\s+/).filter(Boolean);
  return {
    errors: {},
    body: {
      grantType: 'clientCredentials',
      authMethod: v.authMethod,
      tokenUrl: v.tokenUrl.trim(),
      clientId: v.clientId.trim(),
      ...(v.clientSecret ? { clientSecret: v.clientSecret } : {}),
      scopes: scopes.length ? scopes : null,
      extraParams: Object.keys(extraParams).length ? extraParams : null,
    },
  };
}

/** The OAuth 2.0 client (client credentials grant) whose bearer token every attempt carries. */
export function OauthForm({ config, onSave }: { config: OauthConfig | null; onSave: (body: OauthConfigIn) => Promise<unknown> }) {
  const id = useId();
  const { t } = useI18n();
  const { values, set, errors, setErrors, busy, saved, save } = useSettingsForm(() => oauthValuesOf(config), OAUTH_FIELDS);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const checked = oauthBodyOf(values, t);
    setErrors(checked.errors);
    if (!checked.body) return;
    const body = checked.body;
    await save(() => onSave(body), { clientSecret: '' });
  }

  return (
    <form className="form" noValidate aria-label={t('endpointAuth.oauth.title')} onSubmit={(e) => void submit(e)}>
      {(errors.form ?? errors.grantType) && (
        <p className="error-state" role="alert">
          {errors.form ?? errors.grantType}
        </p>
      )}
      <FormField
        id={`${id}-tokenUrl`}
        label={t('endpointAuth.oauth.tokenUrl')}
        type="url"
        inputMode="url"
        value={values.tokenUrl}
        onChange={set('tokenUrl')}
        placeholder={EXAMPLE_TOKEN_URL}
        error={errors.tokenUrl}
      />
      <FormField id={`${id}-clientId`} label={t('endpointAuth.oauth.clientId')} value={values.clientId} onChange={set('clientId')} error={errors.clientId} />
      <FormField
        id={`${id}-clientSecret`}
        label={t('endpointAuth.oauth.clientSecret')}
        type="password"
        autoComplete="new-password"
        value={values.clientSecret}
        onChange={set('clientSecret')}
        placeholder={config ? t('endpointAuth.secretSet') : undefined}
        hint={config ? t('endpointAuth.oauth.secretReplaceHint') : undefined}
        error={errors.clientSecret}
      />
      <div className="field">
        <label htmlFor={`${id}-authMethod`}>{t('endpointAuth.oauth.authMethod')}</label>
        <select
          id={`${id}-authMethod`}
          value={values.authMethod}
          aria-invalid={Boolean(errors.authMethod)}
          aria-describedby={errors.authMethod ? `${id}-authMethod-error` : undefined}
          onChange={(e) => set('authMethod')(e.target.value)}
        >
          <option value="clientSecretBasic">{t('endpointAuth.oauth.clientSecretBasic')}</option>
          <option value="clientSecretPost">{t('endpointAuth.oauth.clientSecretPost')}</option>
        </select>
        {errors.authMethod && (
          <p id={`${id}-authMethod-error`} className="field-error" role="alert">
            {errors.authMethod}
          </p>
        )}
      </div>
      <FormField
        id={`${id}-scopes`}
        label={t('endpointAuth.oauth.scopes')}
        value={values.scopes}
        onChange={set('scopes')}
        placeholder={EXAMPLE_SCOPES}
        hint={t('endpointAuth.oauth.scopesHint')}
        error={errors.scopes}
      />
      <FormField
        id={`${id}-extraParams`}
        label={t('endpointAuth.oauth.extraParams')}
        rows={2}
        value={values.extraParams}
        onChange={set('extraParams')}
        placeholder={EXAMPLE_PARAMS}
        hint={t('endpointAuth.oauth.extraParamsHint')}
        error={errors.extraParams}
      />
      <SaveActions busy={busy} saved={saved} label={t('endpointAuth.oauth.save')} savedText={t('endpointAuth.saved')} />
    </form>
  );
}
