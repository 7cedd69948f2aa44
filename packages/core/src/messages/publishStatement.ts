import { messageRepo, StatementTemplate, type Database, type MessageRow } from '@hookline/db';
import { fanOutJobOf, JOBS, jobTableOf } from '../queue/jobs.ts';
import { traceField } from '../telemetry/tracing.ts';

/** A message to insert with its fan-out job; `appIdOrUid` is looked up in the statement. */
export type PublishRow = Omit<MessageRow, 'appId' | 'payload'> & { appIdOrUid: string; payload: string };
type PublishValues = PublishRow & { trace: string };

const KEYS = ['id', 'tenantId', 'appIdOrUid', 'eventType', 'eventId', 'channels', 'tags', 'payload', 'createdAt', 'expiresAt', 'trace'] as const;

/** One template per job table (a process only ever sees one, see jobTableOf). */
const templates = new Map<string, StatementTemplate<PublishValues, MessageRow>>();

function templateFor(table: string): StatementTemplate<PublishValues, MessageRow> {
  let template = templates.get(table);
  if (!template) {
    template = new StatementTemplate<PublishValues, MessageRow>(KEYS, (db, { trace, ...row }) =>
      messageRepo.insertMessageIntoApplication(db, row, (inserted) => fanOutJobOf(inserted, table, trace)));
    templates.set(table, template);
  }
  return template;
}

/** A message to insert into an application known by id. */
export type PublishRowForApp = Omit<MessageRow, 'payload'> & { payload: string };

/**
 * Publish's one statement: the message and its fan-out job (see fanOutJobOf). Into the application
 * found by id or uid, the api's hot path, it is built once per process as a template; by id (an
 * operational event, an application just created) it is built each time. Undefined when the
 * application already has a message with this eventId.
 */
export async function insertMessageWithFanOut(db: Database, row: PublishRow | PublishRowForApp): Promise<MessageRow | undefined> {
  const table = await jobTableOf(db, JOBS.fanOut);
  const trace = JSON.stringify(traceField());
  if ('appIdOrUid' in row) return templateFor(table).executeTakeFirst(db, { ...row, trace });
  return messageRepo.insertMessage(db, row, (inserted) => fanOutJobOf(inserted, table, trace));
}
