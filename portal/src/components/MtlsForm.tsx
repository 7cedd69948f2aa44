import { useId, type FormEvent } from 'react';
import type { MtlsConfig, MtlsConfigIn } from '../api/useEndpointAuth.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { FormField } from './FormField.tsx';
import { SaveActions, useSettingsForm } from './settingsFormState.tsx';

const FIELDS = ['identity', 'serverCaCert'] as const;
// File types a PEM usually comes in (the picker's filter; any text is accepted when pasted).
const PEM_FILES = ['.pem', '.crt', '.cer', '.key', 'application/x-pem-file', 'text/plain'].join(',');

/** A file picker that reads a PEM file into its field (the text can also be pasted). */
function PemUpload({ id, label, onText }: { id: string; label: string; onText: (text: string) => void }) {
  return (
    <div className="file-upload">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        accept={PEM_FILES}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void file.text().then(onText);
        }}
      />
    </div>
  );
}

/**
 * Mutual TLS: the client certificate and key (`identity`, never shown again) and the CA bundle
 * the server's certificate must chain to. A save replaces the whole configuration.
 */
export function MtlsForm({ config, onSave }: { config: MtlsConfig | null; onSave: (body: MtlsConfigIn) => Promise<unknown> }) {
  const id = useId();
  const { t, dateTime } = useI18n();
  const { values, set, errors, setErrors, busy, saved, save } = useSettingsForm({ identity: '', serverCaCert: config?.serverCaCert ?? '' }, FIELDS);
  const cert = config?.clientCertificate ?? null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    // A PUT without identity removes the stored certificate: ask for it again rather than drop it unseen.
    if (cert && !values.identity.trim()) {
      setErrors({ identity: t('endpointAuth.mtls.identityAgain') });
      return;
    }
    await save(() => onSave({ identity: values.identity.trim() || null, serverCaCert: values.serverCaCert.trim() || null }), { identity: '' });
  }

  return (
    <form className="form" noValidate aria-label={t('endpointAuth.mtls.title')} onSubmit={(e) => void submit(e)}>
      {cert && (
        <dl className="facts">
          <div>
            <dt>{t('endpointAuth.mtls.subject')}</dt>
            <dd>
              <code className="break">{cert.subject}</code>
            </dd>
          </div>
          <div>
            <dt>{t('endpointAuth.mtls.issuer')}</dt>
            <dd>
              <code className="break">{cert.issuer}</code>
            </dd>
          </div>
          <div>
            <dt>{t('endpointAuth.mtls.expires')}</dt>
            <dd>{dateTime(cert.notAfter)}</dd>
          </div>
          <div>
            <dt>{t('endpointAuth.mtls.fingerprint')}</dt>
            <dd>
              <code className="break">{cert.fingerprint256}</code>
            </dd>
          </div>
        </dl>
      )}
      {errors.form && (
        <p className="error-state" role="alert">
          {errors.form}
        </p>
      )}
      <FormField
        id={`${id}-identity`}
        label={t('endpointAuth.mtls.identity')}
        rows={4}
        value={values.identity}
        onChange={set('identity')}
        placeholder={cert ? t('endpointAuth.secretSet') : undefined}
        hint={t('endpointAuth.mtls.identityHint')}
        error={errors.identity}
      >
        <PemUpload id={`${id}-identity-file`} label={t('endpointAuth.mtls.identityFile')} onText={set('identity')} />
      </FormField>
      <FormField
        id={`${id}-serverCaCert`}
        label={t('endpointAuth.mtls.serverCaCert')}
        rows={4}
        value={values.serverCaCert}
        onChange={set('serverCaCert')}
        hint={t('endpointAuth.mtls.serverCaCertHint')}
        error={errors.serverCaCert}
      >
        <PemUpload id={`${id}-serverCaCert-file`} label={t('endpointAuth.mtls.serverCaCertFile')} onText={set('serverCaCert')} />
      </FormField>
      <SaveActions busy={busy} saved={saved} label={t('endpointAuth.mtls.save')} savedText={t('endpointAuth.saved')} />
    </form>
  );
}
