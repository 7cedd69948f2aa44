import { useCan } from '../api/apiContext.tsx';
import { useEndpoints, useEndpointStats, type Endpoint } from '../api/useEndpoints.ts';
import { EmptyState, ErrorState, Loading, StatusBadge } from '@hookline/ui';
import type { Route } from './route.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';

const DAY = 86_400_000;

/** Success rate of the last 7 days' deliveries that finished. */
function SuccessRate({ endpoint }: { endpoint: string }) {
  const since = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 7 * DAY).toISOString();
  const stats = useEndpointStats(endpoint, since);
  const { t, percent } = useI18n();
  if (stats.isPending) return <span className="muted">…</span>;
  if (stats.isError || !stats.data) return <span className="muted">—</span>;
  const { success, fail, pending, sending } = stats.data;
  const total = success + fail;
  if (total === 0 && pending + sending > 0) return <span className="rate warn">{t('endpoints.retrying', { count: pending + sending })}</span>;
  if (total === 0) return <span className="muted">{t('endpoints.noDeliveries')}</span>;
  const rate = Math.round((success / total) * 1000) / 10;
  return (
    <span className={rate >= 95 ? 'rate good' : rate >= 70 ? 'rate warn' : 'rate bad'}>
      {percent(rate / 100)} <span className="muted">{t('endpoints.rateOf', { total })}</span>
    </span>
  );
}

function EndpointRow({ endpoint, go }: { endpoint: Endpoint; go: (r: Route) => void }) {
  const { t } = useI18n();
  return (
    <li className="endpoint-row">
      <div className="endpoint-main">
        <button
          type="button"
          className="link-button url"
          onClick={() => go({ view: 'endpoint', id: endpoint.id })}
          aria-label={t('endpoints.open', { url: endpoint.url })}
        >
          {endpoint.url}
        </button>
        {endpoint.description && <p className="muted small">{endpoint.description}</p>}
        <p className="muted small">{endpoint.eventTypes?.length ? t('endpoints.eventTypeCount', { count: endpoint.eventTypes.length }) : t('endpoints.allEventTypes')}</p>
      </div>
      <div className="endpoint-meta">
        <StatusBadge status={endpoint.disabled ? 'disabled' : 'enabled'} />
        <div className="small">
          <span className="muted">{t('endpoints.success7d')} </span>
          <SuccessRate endpoint={endpoint.id} />
        </div>
      </div>
    </li>
  );
}

export function EndpointList({ go }: { go: (r: Route) => void }) {
  const endpoints = useEndpoints();
  const canManage = useCan('ManageEndpoint');
  const { t } = useI18n();
  return (
    <section aria-labelledby="endpoints-title">
      <div className="section-head">
        <div>
          <h1 id="endpoints-title">{t('endpoints.title')}</h1>
          <p className="muted">{t('endpoints.intro')}</p>
        </div>
        {canManage && (
          <button type="button" className="btn primary" onClick={() => go({ view: 'new-endpoint' })}>
            {t('endpoints.add')}
          </button>
        )}
      </div>
      {endpoints.isPending && <Loading what={t('endpoints.loading')} />}
      {endpoints.isError && <ErrorState error={endpoints.error} retry={() => void endpoints.refetch()} />}
      {endpoints.data && endpoints.data.data.length === 0 && (
        <EmptyState title={t('endpoints.empty.title')}>
          <p>{canManage ? t('endpoints.empty.manage') : t('endpoints.empty.readOnly')}</p>
          {canManage && (
            <button type="button" className="btn primary" onClick={() => go({ view: 'new-endpoint' })}>
              {t('endpoints.addFirst')}
            </button>
          )}
        </EmptyState>
      )}
      {endpoints.data && endpoints.data.data.length > 0 && (
        <ul className="card list" aria-label={t('endpoints.listLabel')}>
          {endpoints.data.data.map((ep) => (
            <EndpointRow key={ep.id} endpoint={ep} go={go} />
          ))}
        </ul>
      )}
    </section>
  );
}
