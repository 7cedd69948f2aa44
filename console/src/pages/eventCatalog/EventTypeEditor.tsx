import { useState } from 'react';
import { ConfirmDialog, ErrorState, JsonBlock, Loading, Panel, formatTime } from '@hookline/ui';
import { useCan } from '../../api/me.ts';
import { Link } from '../../routing/router.tsx';
import { PageHeader } from '../../shell/PageHeader.tsx';
import { EventTypeStatus } from './EventTypeList.tsx';
import { EventTypeForm } from './EventTypeForm.tsx';
import { draftOf, EMPTY_DRAFT, type EventType } from './eventTypeDraft.ts';
import { useEventType, useEventTypeWrites } from './useEventTypes.ts';

const back = (
  <Link className="back" to="/event-catalog">
    ← Event catalog
  </Link>
);

/** `/event-catalog/new`: a new event type (needs `write`). */
export function NewEventType() {
  const mayWrite = useCan('write');
  return (
    <>
      {back}
      <PageHeader title="New event type" />
      {mayWrite ? <EventTypeForm initial={EMPTY_DRAFT} /> : <ErrorState error={new Error('Your role may not create event types.')} title="Read only." />}
    </>
  );
}

/** `/event-catalog/<name>`: one event type; those who may write edit, deprecate and archive it. */
export function EventTypeEditor({ name }: { name: string }) {
  const mayWrite = useCan('write');
  const eventType = useEventType(name);
  // "Saved." holds while what the API holds is what was saved (a later change clears it).
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const t = eventType.data;
  return (
    <>
      {back}
      <PageHeader title={name} description={t ? <EventTypeStatus archived={t.archived} deprecated={t.deprecated} /> : undefined} />
      {eventType.isPending ? (
        <Loading what="the event type" />
      ) : eventType.isError ? (
        <ErrorState error={eventType.error} retry={() => void eventType.refetch()} />
      ) : mayWrite ? (
        <div className="stack">
          {/* Not keyed by its last change: a deprecate or archive leaves the draft (and focus) where they are. */}
          <EventTypeForm initial={draftOf(eventType.data)} existing={eventType.data} onSaved={(saved) => setSavedAt(saved.updatedAt)} />
          <p role="status" className="success-text">
            {savedAt === eventType.data.updatedAt ? 'Saved.' : ''}
          </p>
          <Lifecycle eventType={eventType.data} />
        </div>
      ) : (
        <ReadOnly eventType={eventType.data} />
      )}
    </>
  );
}

/** Deprecate (still sent, marked in the portal) and archive (hidden, no longer offered) and back. */
function Lifecycle({ eventType }: { eventType: EventType }) {
  const { patch } = useEventTypeWrites();
  const [confirmArchive, setConfirmArchive] = useState(false);
  const change = (body: { deprecated?: boolean; archived?: boolean }) => patch.mutate({ name: eventType.name, body }, { onSuccess: () => setConfirmArchive(false) });
  return (
    <Panel title="Lifecycle">
      <p className="muted">
        A deprecated event type is still sent and offered, marked as deprecated in the portal. An archived one is hidden from the catalog and from new subscriptions;
        unarchive it to bring it back.
      </p>
      <div className="actions">
        <button type="button" className="btn" disabled={patch.isPending} onClick={() => change({ deprecated: !eventType.deprecated })}>
          {eventType.deprecated ? 'Undeprecate' : 'Deprecate'}
        </button>
        {eventType.archived ? (
          <button type="button" className="btn" disabled={patch.isPending} onClick={() => change({ archived: false })}>
            Unarchive
          </button>
        ) : (
          <button type="button" className="btn danger" onClick={() => setConfirmArchive(true)}>
            Archive
          </button>
        )}
      </div>
      {patch.isError && !confirmArchive ? <ErrorState error={patch.error} title="Could not change the event type." /> : null}
      {confirmArchive && (
        <ConfirmDialog
          title={`Archive ${eventType.name}?`}
          confirmLabel="Archive"
          danger
          busy={patch.isPending}
          error={patch.error}
          onConfirm={() => change({ archived: true })}
          onClose={() => {
            setConfirmArchive(false);
            patch.reset();
          }}
        >
          <p>It leaves the catalog and can no longer be subscribed to. Messages of this type already sent stay. You can unarchive it later.</p>
        </ConfirmDialog>
      )}
    </Panel>
  );
}

function ReadOnly({ eventType }: { eventType: EventType }) {
  return (
    <div className="stack">
      <Panel title="Details">
        <dl className="facts">
          <div>
            <dt>Description</dt>
            <dd>{eventType.description || 'None'}</dd>
          </div>
          <div>
            <dt>Group</dt>
            <dd>{eventType.groupName ?? 'None'}</dd>
          </div>
          <div>
            <dt>Feature flags</dt>
            <dd>{eventType.featureFlags?.join(', ') || 'None'}</dd>
          </div>
          <div>
            <dt>Last changed</dt>
            <dd>{formatTime(eventType.updatedAt)}</dd>
          </div>
        </dl>
      </Panel>
      <Panel title="Schemas">
        {eventType.schemas ? <JsonBlock value={eventType.schemas} label={`Schemas of ${eventType.name}`} /> : <p className="muted">This event type has no schema.</p>}
      </Panel>
    </div>
  );
}
