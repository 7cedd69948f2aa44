import { z } from 'zod';
import type { Database } from '@hookline/db';
import { getApplication } from '../applications/applications.ts';
import type { AuditContext } from '../audit/auditLog.ts';
import { NotFoundError } from '../errors.ts';
import { idOrUidSchema } from '../schemas/common.ts';
import { expungeMessageContent } from './messages.ts';

/** At most this many ids per request: each is its own expunge and audit record. */
export const MAX_BULK_EXPUNGE_IDS = 100;

export const bulkExpungeContentsInSchema = z.object({ ids: z.array(idOrUidSchema).max(MAX_BULK_EXPUNGE_IDS).optional() }).meta({ id: 'BulkExpungeContentsIn' });
export type BulkExpungeContentsIn = z.output<typeof bulkExpungeContentsInSchema>;

export const bulkExpungeStatusSchema = z.enum(['expunged', 'not-found']).meta({ id: 'BulkExpungeStatus' });
export const bulkExpungeContentsOutSchema = z.object({ results: z.record(z.string(), bulkExpungeStatusSchema) }).meta({ id: 'BulkExpungeContentsOut' });
export type BulkExpungeContentsOut = z.output<typeof bulkExpungeContentsOutSchema>;

/**
 * Deletes the payloads of several messages of one application (ids or eventIds), each as the
 * single-message expunge does (audited one by one); an id with no message answers `not-found`.
 */
export async function bulkExpungeMessageContents(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  input: BulkExpungeContentsIn,
  audit: AuditContext,
): Promise<BulkExpungeContentsOut> {
  const app = await getApplication(db, tenantId, appIdOrUid);
  const results: BulkExpungeContentsOut['results'] = {};
  for (const id of new Set(input.ids ?? [])) {
    try {
      await expungeMessageContent(db, tenantId, app.id, id, audit);
      results[id] = 'expunged';
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      results[id] = 'not-found';
    }
  }
  return { results };
}
