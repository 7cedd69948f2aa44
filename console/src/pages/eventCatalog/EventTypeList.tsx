import { useState } from 'react';
import { DataTable, EmptyState, ErrorState, Loading } from '@hookline/ui';
import { useCan } from '../../api/me.ts';
import { Link } from '../../routing/router.tsx';
import { PageHeader } from '../../shell/PageHeader.tsx';
import { eventTypeHref } from './eventTypeHref.ts';
import { useEventTypeList } from './useEventTypes.ts';

/** `/event-catalog`: every event type of the tenant, archived ones when asked for. */
export function EventTypeList() {
  const mayWrite = useCan('write');
  const [includeArchived, setIncludeArchived] = useState(false);
  const list = useEventTypeList(includeArchived);
  const eventTypes = list.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <>
      <PageHeader
        title="Event catalog"
        description="The events your product sends, with the JSON Schema and examples your customers see in the portal."
        actions={
          mayWrite && (
            <>
              <Link className="btn" to="/event-catalog/import">
                Import from OpenAPI
              </Link>
              <Link className="btn primary" to="/event-catalog/new">
                New event type
              </Link>
            </>
          )
        }
      />
      <div className="filters">
        <label className="check">
          <input type="checkbox" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
          Show archived event types
        </label>
      </div>
      {list.isPending ? (
        <Loading what="event types" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : eventTypes.length === 0 ? (
        <EmptyState title="No event types yet">
          <p>{mayWrite ? 'Create one with “New event type”, or through the API (POST /api/v1/event-type).' : 'A developer of your team creates them.'}</p>
        </EmptyState>
      ) : (
        <DataTable
          caption="Event types"
          rows={eventTypes}
          rowKey={(t) => t.name}
          columns={[
            {
              header: 'Name',
              cell: (t) => (
                <Link to={eventTypeHref(t.name)}>
                  <code>{t.name}</code>
                </Link>
              ),
            },
            { header: 'Description', cell: (t) => t.description || <span className="muted">No description</span> },
            { header: 'Group', cell: (t) => t.groupName ?? <span className="muted">None</span> },
            {
              header: 'Feature flags',
              cell: (t) =>
                t.featureFlags?.length ? (
                  t.featureFlags.map((f) => (
                    <span key={f} className="chip">
                      {f}
                    </span>
                  ))
                ) : (
                  <span className="muted">None</span>
                ),
            },
            { header: 'Status', cell: (t) => <EventTypeStatus archived={t.archived} deprecated={t.deprecated} /> },
          ]}
        />
      )}
      {list.hasNextPage && (
        <div className="actions pager">
          <button type="button" className="btn" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            Show more
          </button>
        </div>
      )}
    </>
  );
}

export function EventTypeStatus({ archived, deprecated }: { archived: boolean; deprecated: boolean }) {
  if (!archived && !deprecated) return <span className="badge badge-enabled">Active</span>;
  return (
    <span className="facts-inline">
      {/* Neutral badges: the shared warning colours are too faint for axe at badge size in light. */}
      {deprecated && <span className="badge">Deprecated</span>}
      {archived && <span className="badge">Archived</span>}
    </span>
  );
}
