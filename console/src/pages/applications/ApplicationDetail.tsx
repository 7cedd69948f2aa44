import { ErrorState, formatTime, Loading, Panel } from '@hookline/ui';
import { useCan } from '../../api/me.ts';
import { Link } from '../../routing/router.tsx';
import { PageHeader } from '../../shell/PageHeader.tsx';
import { ApplicationEndpoints, RecentMessages } from './ApplicationParts.tsx';
import { useApplication } from './useApplications.ts';
import { usePortalAccess } from './usePortalAccess.ts';

/** /applications/<appId>: the application, its endpoints, its recent messages and its customer's portal. */
export function ApplicationDetail({ appId }: { appId: string }) {
  const app = useApplication(appId);
  const mayWrite = useCan('write');
  const portal = usePortalAccess(appId);
  const back = <Link to="/applications">← All applications</Link>;
  if (app.isError)
    return (
      <>
        <PageHeader title="Application" />
        <ErrorState error={app.error} retry={() => void app.refetch()} title="Could not load this application." />
        <p>{back}</p>
      </>
    );
  if (!app.data) return <Loading what="the application" />;
  const a = app.data;
  return (
    <>
      <p className="back">{back}</p>
      <PageHeader
        title={a.name}
        actions={
          mayWrite && (
            <button type="button" className="btn" onClick={portal.open} disabled={portal.isPending}>
              Open portal as this customer
            </button>
          )
        }
      />
      {portal.error ? <ErrorState error={portal.error} title="Could not open the portal." /> : null}
      {portal.blockedUrl && (
        <p role="status">
          Your browser blocked the new tab.{' '}
          <a href={portal.blockedUrl} target="_blank" rel="noopener noreferrer">
            Open the portal
          </a>
        </p>
      )}
      <div className="stack">
        <Panel title="Details">
          <dl className="facts">
            <div>
              <dt>ID</dt>
              <dd>
                <code>{a.id}</code>
              </dd>
            </div>
            <div>
              <dt>UID</dt>
              <dd>{a.uid ? <code>{a.uid}</code> : <span className="muted">none</span>}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatTime(a.createdAt)}</dd>
            </div>
          </dl>
        </Panel>
        <ApplicationEndpoints appId={a.id} />
        <RecentMessages appId={a.id} />
      </div>
    </>
  );
}
