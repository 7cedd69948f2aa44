import { useState } from 'react';
import { useCan } from '../api/apiContext.tsx';
import { useDeleteEndpoint, useEndpoint, useSetEndpointDisabled } from '../api/useEndpoints.ts';
import { ConfirmDialog, ErrorState, Loading, StatusBadge, Panel } from '@hookline/ui';
import { DeliverySettingsForm } from './DeliverySettingsForm.tsx';
import { EndpointAuthPanel } from './EndpointAuthPanel.tsx';
import { AttemptLog } from './Logs.tsx';
import type { Route } from './route.ts';
import { RecoverPanel } from './RecoverPanel.tsx';
import { ReplayPanel } from './ReplayPanel.tsx';
import { SecretPanel } from './SecretPanel.tsx';
import { StatsPanel } from './StatsPanel.tsx';
import { TestingPanel } from './TestingPanel.tsx';
import { TransformationPanel } from './TransformationPanel.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';

export function EndpointDetail({ id, go }: { id: string; go: (r: Route) => void }) {
  const { t, rich } = useI18n();
  const endpoint = useEndpoint(id);
  const canManage = useCan('ManageEndpoint');
  const setDisabled = useSetEndpointDisabled();
  const del = useDeleteEndpoint();
  const [confirmDelete, setConfirmDelete] = useState(false);

  if (endpoint.isPending) return <Loading what={t('endpoint.loading')} />;
  if (endpoint.isError) {
    return (
      <section>
        <button type="button" className="link-button back" onClick={() => go({ view: 'endpoints' })}>
          {t('endpoint.back')}
        </button>
        <ErrorState error={endpoint.error} retry={() => void endpoint.refetch()} />
      </section>
    );
  }
  const ep = endpoint.data;
  return (
    <section aria-labelledby="endpoint-title">
      <button type="button" className="link-button back" onClick={() => go({ view: 'endpoints' })}>
        {t('endpoint.back')}
      </button>
      <div className="section-head">
        <div className="min0">
          <h1 id="endpoint-title" className="url-title">
            {ep.url}
          </h1>
          <p className="muted">
            {ep.description || t('endpoint.noDescription')} · <StatusBadge status={ep.disabled ? 'disabled' : 'enabled'} />
          </p>
        </div>
        {canManage && (
          <div className="actions">
            <button type="button" className="btn" onClick={() => go({ view: 'edit-endpoint', id })}>
              {t('endpoint.edit')}
            </button>
            <button type="button" className="btn" disabled={setDisabled.isPending} onClick={() => setDisabled.mutate({ id, disabled: !ep.disabled })}>
              {ep.disabled ? t('endpoint.enable') : t('endpoint.disable')}
            </button>
            <button type="button" className="btn danger" onClick={() => setConfirmDelete(true)}>
              {t('endpoint.delete')}
            </button>
          </div>
        )}
      </div>
      {setDisabled.isError && <ErrorState error={setDisabled.error} />}
      <dl className="facts card">
        <div>
          <dt>{t('endpoint.eventTypes')}</dt>
          <dd>
            {ep.eventTypes?.length
              ? ep.eventTypes.map((t) => (
                  <code key={t} className="chip">
                    {t}
                  </code>
                ))
              : t('endpoint.allEventTypes')}
          </dd>
        </div>
        <div>
          <dt>{t('endpoint.channels')}</dt>
          <dd>
            {ep.channels?.length
              ? ep.channels.map((c) => (
                  <code key={c} className="chip">
                    {c}
                  </code>
                ))
              : t('endpoint.allChannels')}
          </dd>
        </div>
        <div>
          <dt>{t('endpoint.rateLimit')}</dt>
          <dd>{ep.throttleRate != null ? t('endpoint.rate', { rate: ep.throttleRate }) : t('endpoint.noLimit')}</dd>
        </div>
        <div>
          <dt>{t('endpoint.filter')}</dt>
          <dd>{ep.filter ? <code>{JSON.stringify(ep.filter)}</code> : t('endpoint.noFilter')}</dd>
        </div>
        <div>
          <dt>{t('endpoint.id')}</dt>
          <dd>
            <code className="break">{ep.id}</code>
          </dd>
        </div>
      </dl>
      <StatsPanel endpoint={id} />
      <TestingPanel endpoint={id} subscribed={ep.eventTypes} />
      <SecretPanel endpoint={id} />
      <TransformationPanel endpoint={id} subscribed={ep.eventTypes} />
      <RecoverPanel endpoint={id} />
      <ReplayPanel endpoint={id} />
      {canManage && <DeliverySettingsForm key={ep.id} endpoint={ep} />}
      {canManage && <EndpointAuthPanel endpoint={id} />}
      <Panel title={t('endpoint.attempts')}>
        <AttemptLog fixedEndpoint={id} />
      </Panel>
      {confirmDelete && (
        <ConfirmDialog
          title={t('endpoint.deleteTitle')}
          confirmLabel={t('endpoint.deleteConfirm')}
          danger
          busy={del.isPending}
          error={del.error}
          onClose={() => setConfirmDelete(false)}
          onConfirm={() => del.mutate(id, { onSuccess: () => go({ view: 'endpoints' }) })}
        >
          <p>{rich('endpoint.deleteText', { url: <code>{ep.url}</code> })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
