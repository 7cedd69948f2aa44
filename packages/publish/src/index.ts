import { callPublishFunction, type KyselyExecutor, type PgQueryable } from '@hookline/db';

// Typed wrappers over the SQL function hookline.publish (docs/publish-in-transaction.md), for a
// vendor's own transaction handle. The statement itself is packages/db's (callPublishFunction).

/** What a publish takes: the tenant, the application (id or uid), and the API's message fields. */
export interface PublishMessage {
  tenantId: string;
  /** Application id or uid. */
  app: string;
  eventType: string;
  /** A JSON object. */
  payload: Record<string, unknown>;
  eventId?: string;
  channels?: string[];
  tags?: string[];
  idempotencyKey?: string;
  /** Creates the application when `app` names none yet; its uid must be `app`. */
  application?: { name: string; uid: string; throttleRate?: number; metadata?: Record<string, string> };
  payloadRetentionPeriod?: number;
  payloadRetentionHours?: number;
}

/** A refusal of hookline.publish: `code` is its SQLSTATE (HL403, HL404, HL409, HL413, HL422). */
export const PUBLISH_ERROR_CODES = ['HL403', 'HL404', 'HL409', 'HL413', 'HL422'] as const;
export type PublishErrorCode = (typeof PUBLISH_ERROR_CODES)[number];

/** The SQLSTATE of a hookline.publish refusal, or undefined for any other error. */
export function publishErrorCode(err: unknown): PublishErrorCode | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return PUBLISH_ERROR_CODES.find((c) => c === code);
}

const call = (handle: PgQueryable | KyselyExecutor, { tenantId, app, eventType, payload, ...options }: PublishMessage) =>
  callPublishFunction(handle, { tenantId, app, eventType, payload, options });

/**
 * Publishes with a `pg` client inside BEGIN (a `pg.Client` or a pool's client): the message exists
 * exactly when that transaction commits. Returns the message id.
 */
export function publishWithPg(client: PgQueryable, message: PublishMessage): Promise<string> {
  return call(client, message);
}

/** Publishes inside a Kysely `Transaction` of your own database type. Returns the message id. */
export function publishWithKysely(trx: KyselyExecutor, message: PublishMessage): Promise<string> {
  return call(trx, message);
}
