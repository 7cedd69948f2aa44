import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import type { EndpointRow, MessageRow } from '../schema.ts';

// The reads of fanning out several messages at once: two statements, sent together (one round
// trip), however many messages. Fan-out made two statements per message, and the worker is bound
// by its round trips to PostgreSQL (each one a socket write and a context switch).

export interface MessageKey {
  tenantId: string;
  msgId: string;
}

export type SubscribedEndpoint = Pick<EndpointRow, 'id' | 'failingSince' | 'filter'>;

/** Several messages (those that exist) and, for each, its application's enabled endpoints that subscribe to it. */
export async function findMessagesToFanOut(db: Database, keys: readonly MessageKey[]): Promise<Array<MessageRow & { endpoints: SubscribedEndpoint[] }>> {
  if (keys.length === 0) return [];
  const tenants = keys.map((k) => k.tenantId);
  const ids = keys.map((k) => k.msgId);
  const [messages, endpoints] = await Promise.all([
    db.selectFrom('message').selectAll()
      .where((eb) => eb(eb.refTuple('tenantId', 'id'), 'in', sql<[string, string]>`(SELECT * FROM unnest(${tenants}::text[], ${ids}::text[]))`))
      .execute(),
    // The subscription rule of endpointRepo.findSubscribedEndpoints, with the message's columns
    // in place of its parameters (fanOutRepo.test.ts checks that both select the same endpoints).
    db.selectFrom('message as m')
      .innerJoin('endpoint as e', (j) => j.onRef('e.tenantId', '=', 'm.tenantId').onRef('e.appId', '=', 'm.appId'))
      .select(['m.id as msgId', 'e.id', 'e.failingSince', 'e.filter'])
      .where((eb) => eb(eb.refTuple('m.tenantId', 'm.id'), 'in', sql<[string, string]>`(SELECT * FROM unnest(${tenants}::text[], ${ids}::text[]))`))
      .where('e.disabled', '=', false)
      .where(sql<boolean>`(e.event_types IS NULL OR m.event_type = ANY(e.event_types))`)
      // An endpoint that names channels only receives messages on one of them (as in Svix).
      .where(sql<boolean>`(e.channels IS NULL OR (cardinality(m.channels) > 0 AND e.channels && m.channels))`)
      .orderBy('e.id')
      .execute(),
  ]);
  const byMessage = new Map<string, SubscribedEndpoint[]>();
  for (const { msgId, ...ep } of endpoints) {
    let list = byMessage.get(msgId);
    if (!list) byMessage.set(msgId, (list = []));
    list.push(ep);
  }
  return messages.map((m) => ({ ...m, endpoints: byMessage.get(m.id) ?? [] }));
}
