import { useId, useState } from 'react';
import { useCan } from '../api/apiContext.tsx';
import { useEndpointSecret, useRotateSecret } from '../api/useEndpointSecret.ts';
import { CopyButton, ErrorState, Loading, Panel } from '@hookline/ui';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { VERIFY_SNIPPET } from './verifySnippet.ts';

export function SecretPanel({ endpoint }: { endpoint: string }) {
  const id = useId();
  const { t, rich } = useI18n();
  const canView = useCan('ViewEndpointSecret');
  const canRotate = useCan('ManageEndpointSecret');
  const [revealed, setRevealed] = useState(false);
  const [grace, setGrace] = useState('24');
  const [rotated, setRotated] = useState(false);
  const secret = useEndpointSecret(endpoint, revealed);
  const rotate = useRotateSecret();
  const graceHours = Number(grace);
  const graceValid = Number.isFinite(graceHours) && graceHours >= 0 && graceHours <= 168;
  return (
    <Panel title={t('secret.title')}>
      <p className="muted">{t('secret.intro')}</p>
      {!canView && <p className="muted small">{t('secret.noAccess')}</p>}
      {canView && !revealed && (
        <button type="button" className="btn" onClick={() => setRevealed(true)}>
          {t('secret.reveal')}
        </button>
      )}
      {canView &&
        revealed &&
        (secret.isPending ? (
          <Loading what={t('secret.loading')} />
        ) : secret.isError ? (
          <ErrorState error={secret.error} />
        ) : (
          <div className="secret-row">
            <code className="secret" aria-label={t('secret.label')}>
              {secret.data.key}
            </code>
            <CopyButton text={secret.data.key} label={t('secret.copy')} />
            <button type="button" className="btn small ghost" onClick={() => setRevealed(false)}>
              {t('secret.hide')}
            </button>
          </div>
        ))}
      {canRotate && (
        <form
          className="inline-form rotate"
          onSubmit={(e) => {
            e.preventDefault();
            if (!graceValid) return;
            setRotated(false);
            rotate.mutate({ id: endpoint, gracePeriodSeconds: Math.round(graceHours * 3600) }, { onSuccess: () => setRotated(true) });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-grace`}>{t('secret.grace')}</label>
            <input
              id={`${id}-grace`}
              inputMode="decimal"
              value={grace}
              onChange={(e) => setGrace(e.target.value)}
              aria-invalid={!graceValid}
              aria-describedby={`${id}-grace-hint`}
            />
          </div>
          <button type="submit" className="btn" disabled={rotate.isPending || !graceValid}>
            {t('secret.rotate')}
          </button>
          <p id={`${id}-grace-hint`} className="hint">
            {t('secret.graceHint')}
          </p>
        </form>
      )}
      {rotate.isError && <ErrorState error={rotate.error} />}
      {rotated && (
        <p role="status" className="success-text">
          {t('secret.rotated', { count: graceHours })}
        </p>
      )}
      <details className="snippet">
        <summary>{rich('secret.howTo', { library: <code>standardwebhooks</code> })}</summary>
        <pre className="code">{VERIFY_SNIPPET}</pre>
        <CopyButton text={VERIFY_SNIPPET} label={t('secret.copySnippet')} />
      </details>
    </Panel>
  );
}
