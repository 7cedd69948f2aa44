import { useState } from 'react';
import { DataTable, ErrorState, formatTime, JsonBlock, Loading, Panel, StatusBadge } from '@hookline/ui';
import { useCan } from '../../api/me.ts';
import { Link } from '../../routing/router.tsx';
import { PageHeader } from '../../shell/PageHeader.tsx';
import { AttemptDetail } from './AttemptDetail.tsx';
import { RecoverPanel } from './RecoverPanel.tsx';
import { inFlight, useApplications, useAttempts, useDeliveries, useMessage, useResend, type MessageDelivery } from './useMessages.ts';

function Deliveries({ app, msg, deliveries }: { app: string; msg: string; deliveries: MessageDelivery[] }) {
  const canWrite = useCan('write');
  const resend = useResend(app, msg);
  const [resentTo, setResentTo] = useState<string | null>(null);
  if (deliveries.length === 0) return <p className="muted">No endpoint was subscribed to this message.</p>;
  return (
    <>
      <DataTable
        caption="Deliveries"
        rows={deliveries}
        rowKey={(d) => d.id}
        columns={[
          {
            header: 'Endpoint',
            className: 'break small',
            cell: (d) => (
              <>
                <code>{d.url}</code>
                {d.disabled && <span className="muted"> (disabled)</span>}
              </>
            ),
          },
          { header: 'Status', cell: (d) => <StatusBadge status={d.statusText} /> },
          { header: 'Next attempt', className: 'nowrap small', cell: (d) => (d.nextAttempt ? formatTime(d.nextAttempt) : '—') },
          ...(canWrite
            ? [
                {
                  header: 'Actions',
                  headerHidden: true,
                  cell: (d: (typeof deliveries)[number]) => (
                    <button
                      type="button"
                      className="btn small"
                      aria-label={`Resend to ${d.url}`}
                      disabled={resend.isPending}
                      onClick={() => resend.mutate(d.id, { onSuccess: () => setResentTo(d.url) })}
                    >
                      Resend
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {resend.isError && <ErrorState error={resend.error} title="Could not resend." />}
      {resentTo && !resend.isError && (
        <p role="status" className="success-text">
          Resent to {resentTo}: the new attempt shows below in a moment.
        </p>
      )}
    </>
  );
}

function Attempts({ app, msg, live }: { app: string; msg: string; live: boolean }) {
  const attempts = useAttempts(app, msg, live);
  const [open, setOpen] = useState<string | null>(null);
  if (attempts.isPending) return <Loading what="attempts" />;
  if (attempts.isError) return <ErrorState error={attempts.error} retry={() => void attempts.refetch()} />;
  if (attempts.data.data.length === 0) return <p className="muted">No attempt yet.</p>;
  return (
    <>
      <DataTable
        caption="Attempts"
        rows={attempts.data.data}
        rowKey={(a) => a.id}
        columns={[
          { header: 'Status', cell: (a) => <StatusBadge status={a.statusText} /> },
          { header: 'Endpoint', className: 'break small', cell: (a) => <code>{a.url}</code> },
          {
            header: 'Response',
            className: 'nowrap',
            cell: (a) => `${a.responseStatusCode ? `HTTP ${a.responseStatusCode}` : 'No response'} · ${a.responseDurationMs} ms`,
          },
          {
            header: 'Time',
            className: 'nowrap small',
            cell: (a) => (
              <>
                {formatTime(a.timestamp)}
                {a.triggerType === 1 && <span className="muted"> · manual</span>}
              </>
            ),
          },
          {
            header: 'Details',
            headerHidden: true,
            cell: (a) => (
              <button type="button" className="btn small" onClick={() => setOpen(a.id)}>
                View<span className="sr-only"> request and response of attempt {a.id}</span>
              </button>
            ),
          },
        ]}
      />
      {open && <AttemptDetail app={app} msg={msg} attempt={open} onClose={() => setOpen(null)} />}
    </>
  );
}

/** One message: what was published, where it went, every attempt, and (with `write`) resend and replay. */
export function MessageDetail({ app, msg }: { app: string; msg: string }) {
  const canWrite = useCan('write');
  const message = useMessage(app, msg);
  const deliveries = useDeliveries(app, msg);
  const apps = useApplications();
  const m = message.data;
  const live = deliveries.data?.data.some((d) => inFlight(d.status)) ?? false;
  const appName = apps.data?.data.find((a) => a.id === app)?.name;
  return (
    <>
      <PageHeader title="Message" description={<code className="break">{msg}</code>} actions={<Link to="/messages">All messages</Link>} />
      {message.isPending && <Loading what="the message" />}
      {message.isError && <ErrorState error={message.error} retry={() => void message.refetch()} title="Could not load the message." />}
      {m && (
        <div className="stack">
          <Panel title="Published">
            <dl className="facts">
              <dt>Event type</dt>
              <dd>
                <code>{m.eventType}</code>
              </dd>
              <dt>Event id</dt>
              <dd>{m.eventId ?? '—'}</dd>
              <dt>Application</dt>
              <dd>
                {appName && `${appName} · `}
                <code>{app}</code>
              </dd>
              <dt>Channels</dt>
              <dd>{m.channels?.join(', ') || '—'}</dd>
              <dt>Tags</dt>
              <dd>{m.tags?.join(', ') || '—'}</dd>
              <dt>Published</dt>
              <dd>{formatTime(m.timestamp)}</dd>
            </dl>
            <h3>Payload</h3>
            <JsonBlock label="Payload" value={m.payload} />
          </Panel>
          <Panel title="Deliveries">
            {deliveries.isPending && <Loading what="deliveries" />}
            {deliveries.isError && <ErrorState error={deliveries.error} retry={() => void deliveries.refetch()} />}
            {deliveries.data && <Deliveries app={app} msg={msg} deliveries={deliveries.data.data} />}
          </Panel>
          <Panel title="Attempts">
            <Attempts app={app} msg={msg} live={live} />
          </Panel>
          {canWrite && deliveries.data && deliveries.data.data.length > 0 && (
            <RecoverPanel app={app} msg={msg} deliveries={deliveries.data.data} publishedAt={m.timestamp} />
          )}
        </div>
      )}
    </>
  );
}
