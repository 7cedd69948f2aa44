import { attemptRepo, type DeliverJob } from '@hookline/db';
import { MESSAGE_STATUS } from '../attempts/attempts.ts';
import type { AttemptCommit, DeliveryContext } from '../delivery/attemptRecord.ts';
import { HTTPS_ONLY_REFUSAL, isPlainHttpUrl } from '../tenants/httpsOnly.ts';
import type { Transformer } from './transformer.ts';
import type { TransformOutcome } from './webhookShape.ts';

/**
 * What the worker sends for an attempt: the message as is, or as the endpoint's transformation made
 * it; a failure when the tenant is HTTPS-only and the URL (stored or rewritten) is http://.
 */
export async function outgoingRequest(transformer: Transformer, ctx: DeliveryContext): Promise<TransformOutcome> {
  const { message, endpoint, transformationVersion } = ctx;
  const plain = { kind: 'send', method: 'POST', url: endpoint.url, body: message.payload, payload: undefined, eventType: message.eventType } as const;
  const out =
    transformationVersion === null
      ? plain
      : await transformer.apply({ tenantId: endpoint.tenantId, endpointId: endpoint.id }, transformationVersion, {
          method: 'POST',
          url: endpoint.url,
          eventType: message.eventType,
          payloadJson: message.payload,
        });
  return out.kind === 'send' && ctx.httpsOnly && isPlainHttpUrl(out.url) ? { kind: 'failed', reason: HTTPS_ONLY_REFUSAL } : out;
}

/**
 * The handler set `cancel`: nothing is sent and no attempt is recorded; a scheduled delivery
 * becomes canceled (status 4, like one a payload filter left out), with the job completed in the
 * same transaction. A manual resend that cancels leaves the delivery as it was.
 */
export async function cancelDelivery(job: DeliverJob, commit: AttemptCommit): Promise<void> {
  await commit(async (trx) => {
    if (job.trigger === 1) return;
    await attemptRepo.updateDelivery(trx, job, { status: MESSAGE_STATUS.canceled, nextAttemptAt: null });
  });
}
