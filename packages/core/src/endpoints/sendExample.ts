import { attemptRepo, enqueueDeliveries, eventTypeRepo, messageRepo, type Database, type EndpointRow, type PgBoss } from '@hookline/db';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { endpointTarget } from './endpointAudit.ts';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import { BadRequestError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import { schemaExample } from '../eventTypes/eventTypes.ts';
import { isEventTypeVisible, type FeatureFlagScope } from '../eventTypes/featureFlags.ts';
import { toMessageOut } from '../messages/messages.ts';
import type { MessageOut } from '../messages/messageSchemas.ts';
import type { EventExampleIn } from './endpointActionSchemas.ts';
import { getEndpoint } from './endpoints.ts';

/** Svix's built-in test event: every endpoint can be sent one, whatever its event types. */
export const PING_EVENT_TYPE = 'svix.ping';
/** Svix's exact ping body (with its space), delivered byte for byte. */
const PING_PAYLOAD = '{"success": true}';

/**
 * Publishes an example message to this one endpoint: `svix.ping`, or the example in the event
 * type's schema. The endpoint receives it even when its event-type or channel filters would not
 * match (it asked for it); no other endpoint does. The message, its delivery and its first
 * attempt commit together, and it then retries like any message.
 */
export async function sendExample(
  db: Database,
  boss: PgBoss,
  tenantId: string,
  appId: string,
  idOrUid: string,
  input: EventExampleIn,
  defaults: { payloadRetentionDays: number },
  audit: AuditContext,
  scope?: FeatureFlagScope,
): Promise<MessageOut> {
  const ep = await getEndpoint(db, tenantId, appId, idOrUid);
  const payload = input.eventType === PING_EVENT_TYPE ? PING_PAYLOAD : await exampleOf(db, tenantId, input, scope);
  return publishToEndpoint(db, boss, ep, input.eventType, payload, defaults.payloadRetentionDays, audit);
}

/**
 * The example body of an event type, as Svix: 404 for an unknown type (or one its feature flags
 * hide from the caller), 400 `invalid_scheme` without an example. (Not firstSchemaExample, which
 * answers both with undefined.)
 */
export async function exampleOf(db: Database, tenantId: string, input: EventExampleIn, scope: FeatureFlagScope): Promise<string> {
  const eventType = await eventTypeRepo.findEventType(db, tenantId, input.eventType);
  if (!eventType || !isEventTypeVisible(eventType.featureFlags, scope)) throw new NotFoundError('Event type not found');
  const example = schemaExample(eventType.schemas, input.exampleIndex ?? 0);
  if (example === undefined) {
    throw new BadRequestError('Unable to generate example message from event-type schema', 'invalid_scheme');
  }
  return JSON.stringify(example);
}

async function publishToEndpoint(
  db: Database,
  boss: PgBoss,
  ep: EndpointRow,
  eventType: string,
  payload: string,
  retentionDays: number,
  audit: AuditContext,
): Promise<MessageOut> {
  const now = new Date();
  const row = await db.transaction().execute(async (trx) => {
    const msg = await messageRepo.insertMessage(trx, {
      id: newId('msg', now),
      tenantId: ep.tenantId,
      appId: ep.appId,
      eventType,
      eventId: null,
      channels: null,
      payload,
      createdAt: now,
      expiresAt: new Date(now.getTime() + retentionDays * 86_400_000),
    });
    // Without an eventId nothing can conflict; the check satisfies the repo's contract.
    if (!msg) throw new Error('message insert returned no row');
    await attemptRepo.insertDeliveries(trx, [
      {
        tenantId: ep.tenantId,
        appId: ep.appId,
        msgId: msg.id,
        endpointId: ep.id,
        status: MESSAGE_STATUS.pending,
        nextAttemptAt: now,
      },
    ]);
    await enqueueDeliveries(boss, trx, [{ data: { tenantId: ep.tenantId, msgId: msg.id, endpointId: ep.id, attempt: 1, trigger: 0 } }]);
    await recordAudit(trx, audit, { action: 'endpoint.exampleSent', target: endpointTarget(ep), changes: { eventType: { to: eventType }, message: { to: msg.id } } });
    return msg;
  });
  return toMessageOut(row);
}
