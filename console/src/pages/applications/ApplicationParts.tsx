import { DataTable, EmptyState, ErrorState, formatTime, Loading, Panel, StatusBadge } from '@hookline/ui';
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
        <DataTable
          caption="Its endpoints"
          rows={endpoints.data.data}
          rowKey={(e) => e.id}
          columns={[
            {
              header: 'URL',
              className: 'break',
              cell: (e) => (
                <>
                  <Link to={`/endpoints/${encodeURIComponent(appId)}/${encodeURIComponent(e.id)}`}>{e.url}</Link>
                  {e.description && <div className="muted small">{e.description}</div>}
                </>
              ),
            },
            { header: 'Event types', cell: (e) => (e.eventTypes?.length ? e.eventTypes.join(', ') : <span className="muted">all</span>) },
            { header: 'Status', cell: (e) => <StatusBadge status={e.disabled ? 'disabled' : 'enabled'} /> },
          ]}
        />
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
        <DataTable
          caption="Its recent messages"
          rows={messages.data.data}
          rowKey={(m) => m.id}
          columns={[
            { header: 'Event type', cell: (m) => <code>{m.eventType}</code> },
            { header: 'Message', className: 'break', cell: (m) => <code>{m.id}</code> },
            { header: 'Published', cell: (m) => formatTime(m.timestamp) },
            { header: 'Deliveries', cell: (m) => deliveriesText(m.deliveries) },
          ]}
        />
      )}
    </Panel>
  );
}
