import { attemptRepo, type Database } from '@hookline/db';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import { NotFoundError } from '../errors.ts';
import { getMessage } from '../messages/messages.ts';

/** Deletes the response body an attempt recorded (Svix's attempt expunge-content); the attempt itself stays. */
export async function expungeAttemptContent(
  db: Database,
  tenantId: string,
  appIdOrUid: string,
  msgIdOrEventId: string,
  attemptId: string,
  audit: AuditContext,
): Promise<void> {
  const msg = await getMessage(db, tenantId, appIdOrUid, msgIdOrEventId);
  await inAuditedTransaction(db, async (trx) => {
    if (!(await attemptRepo.expungeAttemptResponse(trx, tenantId, msg.id, attemptId))) throw new NotFoundError('Message attempt not found');
    await recordAudit(trx, audit, {
      action: 'messageAttempt.content.deleted',
      target: { kind: 'message', id: msg.id, appId: msg.appId },
      changes: { attempt: { to: attemptId }, response: { changed: true } },
    });
  });
}
