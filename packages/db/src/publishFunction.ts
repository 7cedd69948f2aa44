import { sql, type Kysely } from 'kysely';

// The call of the SQL function `hookline.publish(tenant_id, app, event_type, payload, options)`
// (issue 22), on a handle of the caller's own transaction: the message commits or rolls back with
// the caller's writes. The function validates, inserts and wakes the workers at commit itself.

/** A pg client (a `pg.Client` or pooled client inside BEGIN, or a pool for a publish of its own). */
export interface PgQueryable {
  query(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Anything Kysely runs statements on: a `Transaction` of the caller's own Kysely (any schema type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the caller's database type is theirs
export type KyselyExecutor = Kysely<any>;

export interface PublishFunctionCall {
  tenantId: string;
  /** Application id or uid. */
  app: string;
  eventType: string;
  payload: unknown;
  /** The API's optional fields: eventId, channels, tags, idempotencyKey, application ({name, uid}). */
  options: Record<string, unknown>;
}

/**
 * The statement as the text between its five parameters (tenant, app, event type, payload JSON,
 * options JSON), for drivers that write parameters their own way: `$n`, Knex's `?`, or a tagged
 * template (Drizzle's `sql`, Prisma's `$queryRaw`). It selects one row, `{ id }`.
 */
export const PUBLISH_STATEMENT: readonly string[] = Object.freeze(['SELECT hookline.publish(', ', ', ', ', ', ', '::jsonb, ', '::jsonb) AS id']);

/** The statement's five parameters, in order. Payload and options travel as JSON text (pg would turn a top-level array into a PostgreSQL array). */
export const publishParameters = (call: PublishFunctionCall): [string, string, string, string, string] => [
  call.tenantId,
  call.app,
  call.eventType,
  JSON.stringify(call.payload ?? null),
  JSON.stringify(call.options),
];

const TEXT = PUBLISH_STATEMENT.reduce((text, part, i) => `${text}$${i}${part}`);

const isKysely = (handle: PgQueryable | KyselyExecutor): handle is KyselyExecutor => typeof (handle as Partial<KyselyExecutor>).getExecutor === 'function';

/** Publishes a message inside the transaction `handle` belongs to and returns its id. */
export async function callPublishFunction(handle: PgQueryable | KyselyExecutor, call: PublishFunctionCall): Promise<string> {
  const [, , , payload, options] = publishParameters(call);
  if (isKysely(handle)) {
    const { rows } = await sql<{
      id: string;
    }>`SELECT hookline.publish(${call.tenantId}, ${call.app}, ${call.eventType}, ${payload}::jsonb, ${options}::jsonb) AS id`.execute(handle);
    return rows[0]!.id;
  }
  const { rows } = await handle.query(TEXT, publishParameters(call));
  return (rows[0] as { id: string }).id;
}
