import { FANOUT_WAKEUP_CHANNEL, fanOutRepo, messageRepo, StatementTemplate, type Database, type MessageRow } from '@hookline/db';
import { traceField } from '../telemetry/tracing.ts';

/** A message to insert with its pending fan-out; `appIdOrUid` is looked up in the statement. */
export type PublishRow = Omit<MessageRow, 'appId' | 'payload'> & { appIdOrUid: string; payload: string };
type PublishValues = PublishRow & { trace: string };

const KEYS = ['id', 'tenantId', 'appIdOrUid', 'eventType', 'eventId', 'channels', 'tags', 'payload', 'createdAt', 'expiresAt', 'trace'] as const;

const build = (db: Database, { trace, ...row }: PublishValues) =>
  messageRepo.insertMessageIntoApplication(db, row, (inserted) => fanOutRepo.pendingFanOutOf(inserted, trace));

/**
 * The hot path's statements, compiled once per process: with an eventId (which it claims) and
 * without (no claim to make: a statement of its own, see messageRepo). They send no NOTIFY: a
 * transaction that NOTIFYs takes a database-wide lock at commit, so concurrent publishes would
 * commit one at a time (docs/performance.md). The publish wakes the workers after its commit instead (see Wakeup).
 */
const withEventId = new StatementTemplate<PublishValues, MessageRow>(KEYS, build);
const withoutEventId = new StatementTemplate<PublishValues, MessageRow>(
  KEYS.filter((k) => k !== 'eventId'),
  (db, values) => build(db, { ...values, eventId: null }),
);

/** A message to insert into an application known by id. */
export type PublishRowForApp = Omit<MessageRow, 'payload'> & { payload: string };

/**
 * Publish's one statement: the message and its pending fan-out (see fanOutRepo.pendingFanOutOf).
 * Into the application found by id or uid, the api's hot path, it is a template, and the caller
 * wakes the workers after it commits. By id (an operational event in the caller's transaction, an
 * application just created) it is built each time and NOTIFYs the workers itself, at its commit.
 * Undefined when the application already has a message with this eventId.
 */
export async function insertMessageWithFanOut(db: Database, row: PublishRow | PublishRowForApp): Promise<MessageRow | undefined> {
  const trace = JSON.stringify(traceField().trace ?? null);
  if ('appIdOrUid' in row) return ((row.eventId ?? null) === null ? withoutEventId : withEventId).executeTakeFirst(db, { ...row, trace });
  return messageRepo.insertMessage(db, row, (inserted) => fanOutRepo.pendingFanOutOf(inserted, trace, FANOUT_WAKEUP_CHANNEL));
}
