import type { Logger } from 'pino';
import { sendNotice, type NoticeSenders, type SecretBox } from '@hookline/core';
import type { Database, Job, NoticeJob } from '@hookline/db';

/**
 * Sends one failure notice (a job queued with the attempt it reports). A target that refuses it
 * throws, and the queue retries the job a few times. Without SMTP, email notices are skipped
 * with one log line per process.
 */
export function noticeSender(deps: { db: Database; secretBox: SecretBox; senders: NoticeSenders; logger: Logger }): (job: Job<NoticeJob>) => Promise<void> {
  let toldNoSmtp = false;
  return async (job) => {
    const { tenantId, appId, endpointId, kind, target } = job.data;
    const outcome = await sendNotice(deps.db, deps.secretBox, deps.senders, job.data);
    if (outcome === 'no-smtp' && !toldNoSmtp) {
      toldNoSmtp = true;
      deps.logger.warn('failure notices by email are skipped: HOOKLINE_SMTP_URL is not set');
    }
    deps.logger.info({ tenantId, appId, endpointId, kind, target, outcome }, 'failure notice handled');
  };
}
