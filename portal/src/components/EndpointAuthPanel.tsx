import { useState, type ReactNode } from 'react';
import { ErrorState, Loading, Panel } from '@hookline/ui';
import { useEndpointBasicAuth, useEndpointMtls, useEndpointOauth, useSaveEndpointBasicAuth, useSaveEndpointMtls, useSaveEndpointOauth } from '../api/useEndpointAuth.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { BasicAuthForm } from './BasicAuthForm.tsx';
import { MtlsForm } from './MtlsForm.tsx';
import { OauthForm } from './OauthForm.tsx';
import { RemoveConfigButton } from './RemoveConfigButton.tsx';

/** One credential: its heading, whether it is set, its form, and "Remove" once it is. */
function CredentialSection({
  title,
  intro,
  query,
  isSet,
  remove,
  removeTitle,
  removeText,
  onRemoved,
  children,
}: {
  title: string;
  intro: string;
  query: { isPending: boolean; error: unknown };
  isSet: boolean;
  remove: { mutateAsync: (body: null) => Promise<unknown>; isPending: boolean; error: unknown };
  removeTitle: string;
  removeText: string;
  onRemoved: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section className="credential">
      <div className="section-head">
        <h3>{title}</h3>
        {!query.isPending && !query.error && (
          <span className={isSet ? 'badge badge-success' : 'badge badge-neutral'}>{isSet ? t('endpointAuth.set') : t('endpointAuth.notSet')}</span>
        )}
      </div>
      <p className="muted small">{intro}</p>
      {query.isPending ? <Loading what={title} /> : query.error ? <ErrorState error={query.error} /> : children}
      {isSet && (
        <div className="actions">
          <RemoveConfigButton
            label={t('endpointAuth.remove')}
            title={removeTitle}
            text={removeText}
            busy={remove.isPending}
            error={remove.error}
            onConfirm={() => remove.mutateAsync(null).then(onRemoved)}
          />
        </div>
      )}
    </section>
  );
}

/** What the endpoint presents besides the signature: an OAuth bearer token, basic auth, a client certificate. */
export function EndpointAuthPanel({ endpoint }: { endpoint: string }) {
  const { t } = useI18n();
  const oauth = useEndpointOauth(endpoint);
  const basic = useEndpointBasicAuth(endpoint);
  const mtls = useEndpointMtls(endpoint);
  const saveOauth = useSaveEndpointOauth(endpoint);
  const saveBasic = useSaveEndpointBasicAuth(endpoint);
  const saveMtls = useSaveEndpointMtls(endpoint);
  // A removal starts the forms afresh (empty fields); a save keeps them as typed, with "Saved".
  const [removals, setRemovals] = useState(0);
  const removed = () => setRemovals((n) => n + 1);
  return (
    <Panel title={t('endpointAuth.title')}>
      <p className="muted">{t('endpointAuth.intro')}</p>
      <CredentialSection
        title={t('endpointAuth.oauth.title')}
        intro={t('endpointAuth.oauth.intro')}
        query={oauth}
        isSet={Boolean(oauth.data)}
        remove={saveOauth}
        removeTitle={t('endpointAuth.oauth.removeTitle')}
        removeText={t('endpointAuth.removeText')}
        onRemoved={removed}
      >
        <OauthForm key={removals} config={oauth.data ?? null} onSave={(body) => saveOauth.mutateAsync(body)} />
      </CredentialSection>
      <CredentialSection
        title={t('endpointAuth.basic.title')}
        intro={t('endpointAuth.basic.intro')}
        query={basic}
        isSet={Boolean(basic.data)}
        remove={saveBasic}
        removeTitle={t('endpointAuth.basic.removeTitle')}
        removeText={t('endpointAuth.removeText')}
        onRemoved={removed}
      >
        <BasicAuthForm key={removals} username={basic.data?.username ?? null} onSave={(body) => saveBasic.mutateAsync(body)} />
      </CredentialSection>
      <CredentialSection
        title={t('endpointAuth.mtls.title')}
        intro={t('endpointAuth.mtls.intro')}
        query={mtls}
        isSet={Boolean(mtls.data)}
        remove={saveMtls}
        removeTitle={t('endpointAuth.mtls.removeTitle')}
        removeText={t('endpointAuth.removeText')}
        onRemoved={removed}
      >
        <MtlsForm key={removals} config={mtls.data ?? null} onSave={(body) => saveMtls.mutateAsync(body)} />
      </CredentialSection>
    </Panel>
  );
}
