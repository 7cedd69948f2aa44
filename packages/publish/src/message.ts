import type { PublishFunctionCall } from '@hookline/db';

/** What a publish takes, whichever driver runs it: the tenant, the application (id or uid), and the API's message fields. */
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

/** The function's arguments: the four positional ones, and every other field as `options`. */
export const publishCall = ({ tenantId, app, eventType, payload, ...options }: PublishMessage): PublishFunctionCall => ({
  tenantId,
  app,
  eventType,
  payload,
  options,
});

/** The message id from the statement's one row, `{ id }`, whatever the driver calls its rows. */
export const messageId = (rows: readonly unknown[]): string => (rows[0] as { id: string }).id;
