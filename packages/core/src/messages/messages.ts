import { applicationRepo, messageRepo, type Database, type MessageRow, type Transaction } from '@hookline/db';
import { getApplication, getOrCreateApplication } from '../applications/applications.ts';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import { paginate, type ListPage, type ListParams } from '../pagination.ts';
import { insertMessageWithFanOut } from './publishStatement.ts';
import type { Wakeup } from '../queue/wakeup.ts';
import { inSpan, SPAN_ATTRIBUTES, SpanKind } from '../telemetry/tracing.ts';
import type { MessageIn, MessageOut } from './messageSchemas.ts';

export function toMessageOut(row: MessageRow, withContent = true): MessageOut {
  return {
    id: row.id,
    eventType: row.eventType,
    eventId: row.eventId,
    // Content is parsed back from the exact bytes that are delivered; an expunged or expired payload reads as {}.
    payload: withContent && row.payload !== null ? JSON.parse(row.payload) : {},
    channels: row.channels,
    tags: row.tags,
    timestamp: row.createdAt,
  };
}

/**
 * The application a message is published to. With `input.application` and no application at the
 * path, Svix creates it from that body, whose uid must then be the path's (else the next publish
 * to the same path would not find it).
 */
async function resolveApplicationId(db: Database, tenantId: string, appIdOrUid: string, input: MessageIn, audit: AuditContext): Promise<string> {
  const existing = await applicationRepo.findApplication(db, tenantId, appIdOrUid);
  if (existing) return existing.id;
  if (!input.application) throw new NotFoundError('Application not found');
  if (!input.application.uid) throw new ValidationError(['body', 'application', 'uid'], 'must be set to create the application (to the uid in the path)');
  if (input.application.uid !== appIdOrUid) throw new ValidationError(['body', 'application', 'uid'], 'must match the application uid in the path');
  return (await getOrCreateApplication(db, tenantId, input.application, audit)).application.id;
}

function expiresAt(now: Date, input: MessageIn, defaults: { payloadRetentionDays: number }): Date {
  const hours = input.payloadRetentionHours ?? (input.payloadRetentionPeriod ?? defaults.payloadRetentionDays) * 24;
  return new Date(now.getTime() + hours * 3_600_000);
}

/**
 * Accepts a message: the row and its pending fan-out commit together, so once this returns the
 * message will be delivered even if every process dies the next instant. `wakeup` then tells the
 * workers (see Wakeup).
 */
export async function publishMessage(
  { db, wakeup }: { db: Database; wakeup: Wakeup },
  tenantId: string,
  appIdOrUid: string,
  input: MessageIn,
  defaults: { payloadRetentionDays: number },
  options: {
    withContent?: boolean | undefined;
    /** request headers: a caller's `traceparent` continues its trace */
    traceParent?: Record<string, string | string[] | undefined>;
    /** Claims the request's idempotency key and stores its response in the message's own transaction. */
    idempotency?: PublishIdempotency | undefined;
    /** Audits the application a publish creates (a publish itself is data, not audited: docs/api.md). */
    audit: AuditContext;
  },
): Promise<MessageOut> {
  return inSpan('hookline.publish', { kind: SpanKind.PRODUCER, parent: options.traceParent, attributes: { [SPAN_ATTRIBUTES.tenantId]: tenantId } }, async (span) => {
    const out = await publish(db, tenantId, appIdOrUid, input, defaults, options.withContent ?? true, options.idempotency, options.audit);
    wakeup.wake();
    span.setAttribute(SPAN_ATTRIBUTES.messageId, out.id);
    return out;
  });
}

/** A request's idempotency key, claimed and completed in the message's transaction (see the api's withIdempotency). */
export interface PublishIdempotency {
  claim(trx: Transaction): Promise<void>;
  complete(trx: Transaction, out: MessageOut): Promise<void>;
}

async function publish(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  input: MessageIn,
  defaults: { payloadRetentionDays: number },
  withContent: boolean,
  idempotency: PublishIdempotency | undefined,
  audit: AuditContext,
): Promise<MessageOut> {
  const now = new Date();
  const insert = async (trx: Database, app: { appId: string } | { appIdOrUid: string }) => {
    const row = await publishInTransaction(trx, {
      tenantId,
      ...app,
      eventType: input.eventType,
      eventId: input.eventId ?? null,
      channels: input.channels && input.channels.length > 0 ? input.channels : null,
      tags: input.tags && input.tags.length > 0 ? [...new Set(input.tags)] : null,
      // A raw payload (Svix's messageInRaw) is kept and delivered as given, whitespace and all.
      payload: input.transformationsParams?.rawPayload ?? JSON.stringify(input.payload),
      createdAt: now,
      expiresAt: expiresAt(now, input, defaults),
    });
    // Thrown inside, so that a claimed idempotency key rolls back with it.
    if (!row) throw new ConflictError('A message with this eventId already exists');
    return toMessageOut(row, withContent);
  };
  // The message and its pending fan-out are one statement; only an idempotency key needs a transaction around it.
  const attempt = (app: { appId: string } | { appIdOrUid: string }) =>
    idempotency
      ? db.transaction().execute(async (trx) => {
          await idempotency.claim(trx);
          const out = await insert(trx, app);
          await idempotency.complete(trx, out);
          return out;
        })
      : insert(db, app);
  // Usually the application exists and the INSERT itself finds it (one round trip fewer).
  try {
    return await attempt({ appIdOrUid });
  } catch (err) {
    if (!messageRepo.isNullAppId(err)) throw err;
  }
  // It does not (yet): nothing was written; find it or create it from the body, then publish.
  return attempt({ appId: await resolveApplicationId(db, tenantId, appIdOrUid, input, audit) });
}

/** A message to publish: `payload` is the exact JSON text that is signed and delivered. */
export type NewMessage = Omit<MessageRow, 'id' | 'payload'> & { payload: string };

/**
 * Inserts a message and its pending fan-out in one statement, in the caller's transaction if it has
 * one: e.g. with the state change an operational event reports, so they commit (or roll back)
 * together. Undefined when the application already has a message with this eventId.
 */
export async function publishInTransaction(
  trx: Database,
  msg: NewMessage | (Omit<NewMessage, 'appId'> & { /** found in the INSERT: see messageRepo.insertMessageIntoApplication */ appIdOrUid: string }),
): Promise<MessageRow | undefined> {
  return insertMessageWithFanOut(trx, { id: newId('msg', msg.createdAt), ...msg });
}

export async function getMessage(db: Database, tenantId: string, appIdOrUid: string, idOrEventId: string): Promise<MessageRow> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const row = await messageRepo.findMessage(db, tenantId, app.id, idOrEventId);
  if (!row) throw new NotFoundError('Message not found');
  return row;
}

/**
 * Deletes a message's payload for good (not just hides it): later reads show `{}` and no attempt,
 * retry or resend can send it any more. The message itself and its attempts stay.
 */
export async function expungeMessageContent(db: Database, tenantId: string, appIdOrUid: string, idOrEventId: string, audit: AuditContext): Promise<void> {
  const msg = await getMessage(db, tenantId, appIdOrUid, idOrEventId);
  await inAuditedTransaction(db, async (trx) => {
    await messageRepo.expungePayload(trx, tenantId, msg.id);
    await recordAudit(trx, audit, {
      action: 'message.content.deleted',
      target: { kind: 'message', id: msg.id, appId: msg.appId },
      changes: { payload: { changed: true } },
    });
  });
}

export interface MessageFilter {
  eventTypes?: string[] | undefined;
  channel?: string | undefined;
  tag?: string | undefined;
  before?: Date | undefined;
  after?: Date | undefined;
  withContent?: boolean | undefined;
}

export async function listMessages(db: Database, tenantId: string, appIdOrUid: string, params: ListParams, filter: MessageFilter): Promise<ListPage<MessageOut>> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const { withContent = true, ...where } = filter;
  const clean = Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined));
  // Messages list newest first, as in Svix.
  return paginate(
    params,
    'descending',
    (page) => messageRepo.listMessages(db, tenantId, app.id, page, { ...clean, withPayload: withContent }),
    (row) => toMessageOut(row, withContent),
  );
}
