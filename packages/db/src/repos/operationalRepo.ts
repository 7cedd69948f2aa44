import { sql } from 'kysely';
import type { Database } from '../connect.ts';
import type { EndpointRow } from '../schema.ts';

// The tenant's operational application: a hidden application (`operational = true`, at most one
// per tenant) whose endpoints receive operational webhooks. applicationRepo never finds it, so it
// is reachable only through these functions.

/** The id of the tenant's operational application, if it has one. */
export async function findOperationalAppId(db: Database, tenantId: string): Promise<string | undefined> {
  const row = await db.selectFrom('application').select('id').where('tenantId', '=', tenantId).where('operational', '=', true).executeTakeFirst();
  return row?.id;
}

/** The id of the tenant's operational application, created with `newId` when there is none yet (race-free). */
export async function ensureOperationalApp(db: Database, tenantId: string, newId: string): Promise<string> {
  await db
    .insertInto('application')
    .values({ id: newId, tenantId, uid: null, name: 'Operational webhooks', throttleRate: null, metadata: '{}', operational: true })
    // A literal, not a parameter: a prepared statement's generic plan could not match the partial index by it.
    .onConflict((oc) => oc.column('tenantId').where('operational', '=', sql.lit(true)).doNothing())
    .execute();
  const id = await findOperationalAppId(db, tenantId);
  if (!id) throw new Error('operational application missing after insert');
  return id;
}

/** Where an operational event about `sourceAppId` goes, and the source application's uid for its payload. */
export interface OperationalTarget {
  opAppId: string;
  appUid: string | null;
}

/**
 * The operational application to publish an event of `eventType` about `sourceAppId` to, or
 * undefined when nothing would receive it: the tenant has no enabled operational endpoint that
 * subscribes to the type, or the source is the operational application itself (its own endpoints'
 * health is never reported, which could loop). One indexed query, so emitting costs nothing when
 * the tenant has not registered an operational endpoint.
 */
export async function findOperationalTarget(db: Database, tenantId: string, sourceAppId: string, eventType: string): Promise<OperationalTarget | undefined> {
  return db
    .selectFrom('application as src')
    .innerJoin('application as op', (join) => join.onRef('op.tenantId', '=', 'src.tenantId').on('op.operational', '=', true))
    .select(['op.id as opAppId', 'src.uid as appUid'])
    .where('src.tenantId', '=', tenantId)
    .where('src.id', '=', sourceAppId)
    .where('src.operational', '=', false)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('endpoint as e')
          .select(sql`1`.as('one'))
          .whereRef('e.tenantId', '=', 'op.tenantId')
          .whereRef('e.appId', '=', 'op.id')
          .where('e.disabled', '=', false)
          .where('e.channels', 'is', null)
          .where((eb2) => eb2.or([eb2('e.eventTypes', 'is', null), sql<boolean>`${eventType} = ANY(e.event_types)`])),
      ),
    )
    .executeTakeFirst();
}

/** When the endpoint started failing (null when it is not failing), read after it was disabled. */
export async function findFailingSince(db: Database, tenantId: string, endpointId: string): Promise<EndpointRow['failingSince'] | undefined> {
  const row = await db.selectFrom('endpoint').select('failingSince').where('tenantId', '=', tenantId).where('id', '=', endpointId).executeTakeFirst();
  return row?.failingSince;
}

/**
 * Whether a delivery other than by `exceptAttemptId` ever succeeded, and how many scheduled
 * attempts it has made: what tells a successful manual resend that it ends a failure.
 */
export async function deliveryHistory(
  db: Database,
  key: { tenantId: string; msgId: string; endpointId: string },
  exceptAttemptId: string,
): Promise<{ attemptCount: number; succeededBefore: boolean }> {
  const delivery = await db
    .selectFrom('messageDelivery')
    .select('attemptCount')
    .where('tenantId', '=', key.tenantId)
    .where('msgId', '=', key.msgId)
    .where('endpointId', '=', key.endpointId)
    .executeTakeFirst();
  // Status 0: success.
  const success = await db
    .selectFrom('messageAttempt')
    .select('id')
    .where('tenantId', '=', key.tenantId)
    .where('msgId', '=', key.msgId)
    .where('endpointId', '=', key.endpointId)
    .where('status', '=', 0)
    .where('id', '<>', exceptAttemptId)
    .limit(1)
    .executeTakeFirst();
  return { attemptCount: delivery?.attemptCount ?? 0, succeededBefore: success !== undefined };
}
