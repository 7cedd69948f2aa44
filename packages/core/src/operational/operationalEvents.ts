import { operationalRepo, type Database, type EndpointRow, type PgBoss, type Transaction } from '@hookline/db';
import { publishInTransaction } from '../messages/messages.ts';

/**
 * Operational webhooks: events about the tenant's own delivery health, as Svix sends them. Each is
 * published as an ordinary message (event type = `type`, payload `{type, data}`) to the tenant's
 * hidden operational application, whose endpoints the tenant registers under
 * `/api/v1/operational-webhook/endpoint`; so they are signed, retried and logged like any message.
 */
export const OPERATIONAL_EVENT_TYPES = Object.freeze([
  'endpoint.created',
  'endpoint.updated',
  'endpoint.deleted',
  'endpoint.enabled',
  'endpoint.disabled',
  'message.attempt.failing',
  'message.attempt.exhausted',
  'message.attempt.recovered',
] as const);
export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];

/** What publishing an operational event needs: the queue, and how long its payload is kept. */
export interface OperationalEmitter {
  boss: PgBoss;
  payloadRetentionDays: number;
}

interface EndpointRef {
  id: string;
  uid: string | null;
  appId: string;
}

/** Svix's `MessageAttemptFailedData`: the attempt that caused the event. */
export interface AttemptRef {
  id: string;
  responseStatusCode: number;
  timestamp: Date;
}

interface MessageRef {
  id: string;
  eventId: string | null;
  appId: string;
}

export type OperationalEvent =
  | { type: 'endpoint.created' | 'endpoint.updated' | 'endpoint.deleted' | 'endpoint.enabled'; endpoint: EndpointRef }
  /** `automatic`: Hookline disabled it (410 Gone, or failing too long); `manual`: an API call did. */
  | { type: 'endpoint.disabled'; endpoint: EndpointRef; trigger: 'automatic' | 'manual'; failSince: Date | null }
  | {
      type: 'message.attempt.failing' | 'message.attempt.exhausted' | 'message.attempt.recovered';
      message: MessageRef;
      endpointId: string;
      lastAttempt: AttemptRef;
    };

/** The `data` of an event, with Svix's field names (and order). */
function dataOf(event: OperationalEvent, appUid: string | null): Record<string, unknown> {
  if ('message' in event) {
    return {
      appId: event.message.appId,
      appUid,
      msgId: event.message.id,
      msgEventId: event.message.eventId,
      endpointId: event.endpointId,
      lastAttempt: event.lastAttempt,
    };
  }
  const about = { appId: event.endpoint.appId, appUid, endpointId: event.endpoint.id, endpointUid: event.endpoint.uid };
  return event.type === 'endpoint.disabled' ? { ...about, failSince: event.failSince, trigger: event.trigger } : about;
}

const sourceAppOf = (event: OperationalEvent): string => ('message' in event ? event.message.appId : event.endpoint.appId);

/**
 * Publishes an operational event in `trx`, the transaction that makes the change it reports, so
 * the event exists if and only if the change committed. Costs one indexed query and nothing more
 * when no enabled operational endpoint wants this type; events about the operational application
 * itself are never emitted. `emitter` null: the caller emits nothing.
 */
export async function emitOperationalEvent(trx: Database, emitter: OperationalEmitter | null, tenantId: string, event: OperationalEvent): Promise<void> {
  if (!emitter) return;
  const target = await operationalRepo.findOperationalTarget(trx, tenantId, sourceAppOf(event), event.type);
  if (!target) return;
  const now = new Date();
  await publishInTransaction(trx, {
    tenantId,
    appId: target.opAppId,
    eventType: event.type,
    eventId: null,
    channels: null,
    tags: null,
    payload: JSON.stringify({ type: event.type, data: dataOf(event, target.appUid) }),
    createdAt: now,
    expiresAt: new Date(now.getTime() + emitter.payloadRetentionDays * 86_400_000),
  });
}

/**
 * The operational events of one endpoint write, in its transaction: `endpoint.created` (no
 * `before`), `endpoint.deleted` (no `after`), else `endpoint.updated`, followed by
 * `endpoint.disabled` (`trigger: manual`) or `endpoint.enabled` when the write flipped `disabled`.
 */
export async function emitEndpointChange(trx: Transaction, emitter: OperationalEmitter | null, before: EndpointRow | null, after: EndpointRow | null): Promise<void> {
  const row = after ?? before;
  if (!emitter || !row) return;
  const endpoint = { id: row.id, uid: row.uid, appId: row.appId };
  const type = !before ? 'endpoint.created' : !after ? 'endpoint.deleted' : 'endpoint.updated';
  await emitOperationalEvent(trx, emitter, row.tenantId, { type, endpoint });
  if (!before || !after || before.disabled === after.disabled) return;
  await emitOperationalEvent(
    trx,
    emitter,
    row.tenantId,
    after.disabled ? { type: 'endpoint.disabled', endpoint, trigger: 'manual', failSince: after.failingSince } : { type: 'endpoint.enabled', endpoint },
  );
}
