import { useEffect, useState } from 'react';
import { ApiError, DataTable, EmptyState, ErrorState, formatTime, Loading } from '@hookline/ui';
import { Link } from '../../routing/router.tsx';
import type { SearchQuery } from './messageQuery.ts';
import { useMessageSearch, type FoundMessage } from './useMessages.ts';

/** How a message's deliveries stand, in words ("2 succeeded, 1 failed"). */
export function deliverySummary(d: FoundMessage['deliveries']): string {
  const parts = (
    [
      [d.success, 'succeeded'],
      [d.fail, 'failed'],
      [d.pending, 'pending'],
      [d.sending, 'sending'],
      [d.canceled, 'canceled'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${n} ${word}`);
  return parts.length ? parts.join(', ') : 'No endpoint';
}

const detailPath = (m: FoundMessage) => `/messages/${encodeURIComponent(m.application.id)}/${encodeURIComponent(m.id)}`;

/** One page of the search's answer, newest first, with Newer / Older through its iterators. */
export function MessageList({ query, filtered, onPayloadError }: { query: SearchQuery; filtered: boolean; onPayloadError: (e: string | null) => void }) {
  const [stack, setStack] = useState<string[]>([]);
  const search = useMessageSearch(query, stack[stack.length - 1]);
  const fieldErrors = search.error instanceof ApiError && search.error.status === 422 ? search.error.fieldErrors() : {};
  // A 422 on payload_contains belongs on the payload field, not in a banner.
  const payloadError = fieldErrors.payload_contains ?? null;
  useEffect(() => onPayloadError(payloadError), [payloadError, onPayloadError]);
  if (payloadError) return null;
  if (search.isPending) return <Loading what="messages" />;
  if (search.isError) return <ErrorState error={search.error} retry={() => void search.refetch()} title="Could not search the messages." />;
  const page = search.data;
  if (page.data.length === 0) {
    return (
      <EmptyState title={filtered ? 'No message matches' : 'No messages yet'}>
        <p>{filtered ? 'Nothing published matches every filter. Remove a filter or widen the time range.' : 'Messages your applications publish show here.'}</p>
      </EmptyState>
    );
  }
  return (
    <div className="card">
      <DataTable
        caption="Messages"
        rows={page.data}
        rowKey={(m) => m.id}
        columns={[
          {
            header: 'Message',
            className: 'break small',
            cell: (m) => (
              <>
                <Link to={detailPath(m)}>
                  <code>{m.id}</code>
                </Link>
                {m.eventId && <div className="muted">Event id {m.eventId}</div>}
              </>
            ),
          },
          { header: 'Event type', cell: (m) => <code>{m.eventType}</code> },
          { header: 'Application', cell: (m) => m.application.name },
          { header: 'Deliveries', className: 'small', cell: (m) => deliverySummary(m.deliveries) },
          { header: 'Published', className: 'nowrap small', cell: (m) => formatTime(m.timestamp) },
        ]}
      />
      {(stack.length > 0 || (!page.done && page.iterator)) && (
        <nav className="actions pager" aria-label="Pages of messages">
          <button type="button" className="btn small" disabled={stack.length === 0} onClick={() => setStack((s) => s.slice(0, -1))}>
            Newer
          </button>
          <span className="muted small">Page {stack.length + 1}</span>
          <button type="button" className="btn small" disabled={page.done || !page.iterator} onClick={() => page.iterator && setStack((s) => [...s, page.iterator!])}>
            Older
          </button>
        </nav>
      )}
    </div>
  );
}
