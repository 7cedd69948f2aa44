import { useCan } from '../api/apiContext.tsx';
import { useEndpoints, useEndpointStats, type Endpoint } from '../api/useEndpoints.ts';
import { EmptyState, ErrorState, Loading, StatusBadge } from '@hookline/ui';
import type { Route } from './route.ts';

const DAY = 86_400_000;

/** Success rate of the last 7 days' deliveries that finished. */
function SuccessRate({ endpoint }: { endpoint: string }) {
  const since = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 7 * DAY).toISOString();
  const stats = useEndpointStats(endpoint, since);
  if (stats.isPending) return <span className="muted">…</span>;
  if (stats.isError || !stats.data) return <span className="muted">—</span>;
  const { success, fail, pending, sending } = stats.data;
  const total = success + fail;
  if (total === 0 && pending + sending > 0) return <span className="rate warn">{pending + sending} being retried</span>;
  if (total === 0) return <span className="muted">No deliveries yet</span>;
  const rate = Math.round((success / total) * 1000) / 10;
  return (
    <span className={rate >= 95 ? 'rate good' : rate >= 70 ? 'rate warn' : 'rate bad'}>
      {rate}% <span className="muted">of {total}</span>
    </span>
  );
}

function EndpointRow({ endpoint, go }: { endpoint: Endpoint; go: (r: Route) => void }) {
  return (
    <li className="endpoint-row">
      <div className="endpoint-main">
        <button type="button" className="link-button url" onClick={() => go({ view: 'endpoint', id: endpoint.id })} aria-label={`Open endpoint ${endpoint.url}`}>
          {endpoint.url}
        </button>
        {endpoint.description && <p className="muted small">{endpoint.description}</p>}
        <p className="muted small">
          {endpoint.eventTypes?.length ? `${endpoint.eventTypes.length} event type${endpoint.eventTypes.length === 1 ? '' : 's'}` : 'All event types'}
        </p>
      </div>
      <div className="endpoint-meta">
        <StatusBadge status={endpoint.disabled ? 'disabled' : 'enabled'} />
        <div className="small">
          <span className="muted">Success (7 days): </span>
          <SuccessRate endpoint={endpoint.id} />
        </div>
      </div>
    </li>
  );
}

export function EndpointList({ go }: { go: (r: Route) => void }) {
  const endpoints = useEndpoints();
  const canManage = useCan('ManageEndpoint');
  return (
    <section aria-labelledby="endpoints-title">
      <div className="section-head">
        <div>
          <h1 id="endpoints-title">Endpoints</h1>
          <p className="muted">The URLs that receive your webhooks.</p>
        </div>
        {canManage && (
          <button type="button" className="btn primary" onClick={() => go({ view: 'new-endpoint' })}>
            Add endpoint
          </button>
        )}
      </div>
      {endpoints.isPending && <Loading what="endpoints" />}
      {endpoints.isError && <ErrorState error={endpoints.error} retry={() => void endpoints.refetch()} />}
      {endpoints.data && endpoints.data.data.length === 0 && (
        <EmptyState title="No endpoints yet">
          <p>
            {canManage
              ? 'Add an endpoint: the URL of your server that should receive events. You can then send it a test event.'
              : 'No endpoints are set up, and your access is read-only. Ask your administrator to add one.'}
          </p>
          {canManage && (
            <button type="button" className="btn primary" onClick={() => go({ view: 'new-endpoint' })}>
              Add your first endpoint
            </button>
          )}
        </EmptyState>
      )}
      {endpoints.data && endpoints.data.data.length > 0 && (
        <ul className="card list" aria-label="Endpoints">
          {endpoints.data.data.map((ep) => (
            <EndpointRow key={ep.id} endpoint={ep} go={go} />
          ))}
        </ul>
      )}
    </section>
  );
}
