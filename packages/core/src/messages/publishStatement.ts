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

/**
 * Publish's one statement: the message, into the application found by id or uid, and its fan-out
 * job (see fanOutJobOf), built once per process as a template (the hot path of the api). Undefined
 * when the application already has a message with this eventId.
 */
export async function insertMessageWithFanOut(db: Database, row: PublishRow): Promise<MessageRow | undefined> {
  const table = await jobTableOf(db, JOBS.fanOut);
  return templateFor(table).executeTakeFirst(db, { ...row, trace: JSON.stringify(traceField()) });
}
