import { EmptyState, ErrorState, formatTime, Loading, Panel, StatusBadge } from '@hookline/ui';
import { Link } from '../../routing/router.tsx';
import { useApplicationEndpoints, useRecentMessages } from './useApplications.ts';

export function ApplicationEndpoints({ appId }: { appId: string }) {
  const endpoints = useApplicationEndpoints(appId);
  return (
    <Panel title="Endpoints">
      {endpoints.isError ? (
        <ErrorState error={endpoints.error} retry={() => void endpoints.refetch()} title="Could not load its endpoints." />
      ) : !endpoints.data ? (
        <Loading what="endpoints" />
      ) : endpoints.data.data.length === 0 ? (
        <EmptyState title="No endpoints yet">
          <p>The customer adds endpoints in their portal, or you add them through the API.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Its endpoints">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Event types</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.data.data.map((e) => (
                <tr key={e.id}>
                  <td className="break">
                    <Link to={`/endpoints/${encodeURIComponent(appId)}/${encodeURIComponent(e.id)}`}>{e.url}</Link>
                    {e.description && <div className="muted small">{e.description}</div>}
                  </td>
                  <td>{e.eventTypes?.length ? e.eventTypes.join(', ') : <span className="muted">all</span>}</td>
                  <td>
                    <StatusBadge status={e.disabled ? 'disabled' : 'enabled'} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {endpoints.data && !endpoints.data.done && <p className="muted small">Showing the first {endpoints.data.data.length}.</p>}
    </Panel>
  );
}

/** Deliveries of a message by status, in words ("1 succeeded, 1 failed"). */
function deliveriesText(d: { success: number; pending: number; fail: number; sending: number; canceled: number }): string {
  const parts = [
    d.success && `${d.success} succeeded`,
    d.fail && `${d.fail} failed`,
    d.pending + d.sending && `${d.pending + d.sending} pending`,
    d.canceled && `${d.canceled} filtered out`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'No endpoint';
}

export function RecentMessages({ appId }: { appId: string }) {
  const messages = useRecentMessages(appId);
  return (
    <Panel title="Recent messages">
      {messages.isError ? (
        <ErrorState error={messages.error} retry={() => void messages.refetch()} title="Could not load its messages." />
      ) : !messages.data ? (
        <Loading what="messages" />
      ) : messages.data.data.length === 0 ? (
        <EmptyState title="No messages yet">
          <p>Messages you publish to this application show here.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Its recent messages">
            <thead>
              <tr>
                <th scope="col">Event type</th>
                <th scope="col">Message</th>
                <th scope="col">Published</th>
                <th scope="col">Deliveries</th>
              </tr>
            </thead>
            <tbody>
              {messages.data.data.map((m) => (
                <tr key={m.id}>
                  <td>
                    <code>{m.eventType}</code>
                  </td>
                  <td className="break">
                    <code>{m.id}</code>
                  </td>
                  <td>{formatTime(m.timestamp)}</td>
                  <td>{deliveriesText(m.deliveries)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
