import { ErrorState, formatTime, Loading, StatusBadge } from '@hookline/ui';
import { useCan } from '../../api/me.ts';
import { Link } from '../../routing/router.tsx';
import { PageHeader } from '../../shell/PageHeader.tsx';
import { DeliverySettingsPanel } from './DeliverySettingsPanel.tsx';
import { HeadersPanel } from './HeadersPanel.tsx';
import { SecretPanel } from './SecretPanel.tsx';
import { StatsPanel } from './StatsPanel.tsx';
import { useApplicationName, useEndpoint, usePatchEndpoint } from './useEndpoints.ts';

/** One endpoint (/console/endpoints/<app>/<endpoint>): its statistics, secret, headers, filters and throttle. */
export function EndpointDetail({ app, endpoint }: { app: string; endpoint: string }) {
  const result = useEndpoint(app, endpoint);
  const appName = useApplicationName(app);
  const canWrite = useCan('write');
  const setDisabled = usePatchEndpoint(app, endpoint);
  const back = (
    <p>
      <Link to="/endpoints" className="back">
        ← All endpoints
      </Link>
    </p>
  );
  if (result.isPending) {
    return (
      <>
        <PageHeader title="Endpoint" />
        <Loading what="the endpoint" />
      </>
    );
  }
  if (result.isError) {
    return (
      <>
        <PageHeader title="Endpoint" />
        {back}
        <ErrorState error={result.error} retry={() => void result.refetch()} />
      </>
    );
  }
  const ep = result.data;
  return (
    <>
      {back}
      <PageHeader
        title={ep.url}
        description={
          <>
            <StatusBadge status={ep.disabled ? 'disabled' : 'enabled'} /> {ep.description || 'No description'} · application{' '}
            <Link to={`/applications/${encodeURIComponent(app)}`}>{appName.data ?? app}</Link>
          </>
        }
        actions={
          canWrite && (
            <button
              type="button"
              className={ep.disabled ? 'btn primary' : 'btn'}
              disabled={setDisabled.isPending}
              onClick={() => setDisabled.mutate({ disabled: !ep.disabled })}
            >
              {ep.disabled ? 'Enable endpoint' : 'Disable endpoint'}
            </button>
          )
        }
      />
      {setDisabled.isError && <ErrorState error={setDisabled.error} title={ep.disabled ? 'Could not enable the endpoint.' : 'Could not disable the endpoint.'} />}
      <dl className="facts card">
        <div>
          <dt>Endpoint id</dt>
          <dd>
            <code className="break">{ep.id}</code>
          </dd>
        </div>
        {ep.uid && (
          <div>
            <dt>UID</dt>
            <dd>
              <code>{ep.uid}</code>
            </dd>
          </div>
        )}
        <div>
          <dt>Created</dt>
          <dd>{formatTime(ep.createdAt)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{formatTime(ep.updatedAt)}</dd>
        </div>
      </dl>
      <StatsPanel app={app} endpoint={endpoint} />
      <DeliverySettingsPanel app={app} ep={ep} />
      <HeadersPanel app={app} endpoint={endpoint} />
      <SecretPanel app={app} endpoint={endpoint} />
    </>
  );
}
