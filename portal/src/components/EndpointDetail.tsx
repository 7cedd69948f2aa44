import { useState } from 'react';
import { useCan } from '../api/apiContext.tsx';
import { useDeleteEndpoint, useEndpoint, useSetEndpointDisabled } from '../api/useEndpoints.ts';
import { ConfirmDialog, ErrorState, Loading, StatusBadge, Panel } from '@hookline/ui';
import { AttemptLog } from './Logs.tsx';
import type { Route } from './route.ts';
import { RecoverPanel } from './RecoverPanel.tsx';
import { SecretPanel } from './SecretPanel.tsx';
import { StatsPanel } from './StatsPanel.tsx';
import { TestingPanel } from './TestingPanel.tsx';

export function EndpointDetail({ id, go }: { id: string; go: (r: Route) => void }) {
  const endpoint = useEndpoint(id);
  const canManage = useCan('ManageEndpoint');
  const setDisabled = useSetEndpointDisabled();
  const del = useDeleteEndpoint();
  const [confirmDelete, setConfirmDelete] = useState(false);

  if (endpoint.isPending) return <Loading what="the endpoint" />;
  if (endpoint.isError) {
    return (
      <section>
        <button type="button" className="link-button back" onClick={() => go({ view: 'endpoints' })}>
          ← All endpoints
        </button>
        <ErrorState error={endpoint.error} retry={() => void endpoint.refetch()} />
      </section>
    );
  }
  const ep = endpoint.data;
  return (
    <section aria-labelledby="endpoint-title">
      <button type="button" className="link-button back" onClick={() => go({ view: 'endpoints' })}>
        ← All endpoints
      </button>
      <div className="section-head">
        <div className="min0">
          <h1 id="endpoint-title" className="url-title">
            {ep.url}
          </h1>
          <p className="muted">
            {ep.description || 'No description'} · <StatusBadge status={ep.disabled ? 'disabled' : 'enabled'} />
          </p>
        </div>
        {canManage && (
          <div className="actions">
            <button type="button" className="btn" onClick={() => go({ view: 'edit-endpoint', id })}>
              Edit
            </button>
            <button type="button" className="btn" disabled={setDisabled.isPending} onClick={() => setDisabled.mutate({ id, disabled: !ep.disabled })}>
              {ep.disabled ? 'Enable endpoint' : 'Disable endpoint'}
            </button>
            <button type="button" className="btn danger" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          </div>
        )}
      </div>
      {setDisabled.isError && <ErrorState error={setDisabled.error} />}
      <dl className="facts card">
        <div>
          <dt>Event types</dt>
          <dd>
            {ep.eventTypes?.length
              ? ep.eventTypes.map((t) => (
                  <code key={t} className="chip">
                    {t}
                  </code>
                ))
              : 'All event types'}
          </dd>
        </div>
        <div>
          <dt>Channels</dt>
          <dd>
            {ep.channels?.length
              ? ep.channels.map((c) => (
                  <code key={c} className="chip">
                    {c}
                  </code>
                ))
              : 'All channels'}
          </dd>
        </div>
        <div>
          <dt>Rate limit</dt>
          <dd>{ep.throttleRate != null ? `${ep.throttleRate} messages/s` : 'No limit'}</dd>
        </div>
        <div>
          <dt>Payload filter</dt>
          <dd>{ep.filter ? <code>{JSON.stringify(ep.filter)}</code> : 'None'}</dd>
        </div>
        <div>
          <dt>Endpoint id</dt>
          <dd>
            <code className="break">{ep.id}</code>
          </dd>
        </div>
      </dl>
      <StatsPanel endpoint={id} />
      <TestingPanel endpoint={id} subscribed={ep.eventTypes} />
      <SecretPanel endpoint={id} />
      <RecoverPanel endpoint={id} />
      <Panel title="Delivery attempts">
        <AttemptLog fixedEndpoint={id} />
      </Panel>
      {confirmDelete && (
        <ConfirmDialog
          title="Delete this endpoint?"
          confirmLabel="Delete endpoint"
          danger
          busy={del.isPending}
          error={del.error}
          onClose={() => setConfirmDelete(false)}
          onConfirm={() => del.mutate(id, { onSuccess: () => go({ view: 'endpoints' }) })}
        >
          <p>
            <code>{ep.url}</code> will stop receiving webhooks at once. Its delivery history is deleted too. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
