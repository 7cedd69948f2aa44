import type { Database } from '../connect.ts';
import { idRange } from './idRange.ts';

/** The messages a replay step may resend, with the delivery's attempt count (0 when there is none yet). */
export interface ReplayCandidate {
  msgId: string;
  attemptCount: number;
}

/** The range and filters of a replay: `afterMsgId` is where the previous step stopped (exclusive). */
export interface ReplayRange {
  tenantId: string;
  appId: string;
  endpointId: string;
  fromMsgId: string;
  toMsgId: string;
  afterMsgId?: string | undefined;
}

export interface BulkReplayFilter {
  eventTypes?: string[] | undefined;
  channel?: string | undefined;
  tag?: string | undefined;
  /** The delivery's status (Svix's MessageStatus). */
  status?: number | undefined;
}

/**
 * A batch of the messages delivered (in any status) to the endpoint within the range, oldest first,
 * whose payload is still kept. Both tables are bounded by message id, their partition key, so only
 * the partitions of the range are read.
 */
export async function listDeliveredForReplay(db: Database, range: ReplayRange, filter: BulkReplayFilter, limit: number): Promise<ReplayCandidate[]> {
  const lower = range.afterMsgId ?? range.fromMsgId;
  const lowerOp = range.afterMsgId === undefined ? '>=' : '>';
  let q = db
    .selectFrom('messageDelivery as d')
    .innerJoin('message as m', (j) => j.onRef('m.id', '=', 'd.msgId').onRef('m.tenantId', '=', 'd.tenantId'))
    .select(['d.msgId', 'd.attemptCount'])
    .where('d.tenantId', '=', range.tenantId)
    .where('d.endpointId', '=', range.endpointId)
    .where('d.msgId', lowerOp, lower)
    .where('d.msgId', '<=', range.toMsgId)
    .where('m.id', lowerOp, lower)
    .where('m.id', '<=', range.toMsgId)
    .where('m.appId', '=', range.appId)
    .where('m.payload', 'is not', null);
  if (filter.status !== undefined) q = q.where('d.status', '=', filter.status);
  if (filter.eventTypes !== undefined && filter.eventTypes.length > 0) q = q.where('m.eventType', 'in', filter.eventTypes);
  if (filter.channel !== undefined) q = q.where((eb) => eb(eb.val(filter.channel), '=', eb.fn.any('m.channels')));
  if (filter.tag !== undefined) q = q.where((eb) => eb(eb.val(filter.tag), '=', eb.fn.any('m.tags')));
  return q.orderBy('d.msgId').limit(limit).execute();
}

/**
 * A batch of the application's messages within the range that have no delivery to the endpoint at
 * all (sent before it existed or subscribed, or left out by its filters then), oldest first, whose
 * payload is still kept.
 */
export async function listMissingForReplay(db: Database, range: ReplayRange, limit: number): Promise<ReplayCandidate[]> {
  const lower = range.afterMsgId ?? range.fromMsgId;
  const lowerOp = range.afterMsgId === undefined ? '>=' : '>';
  const rows = await db
    .selectFrom('message as m')
    .select('m.id')
    .where('m.tenantId', '=', range.tenantId)
    .where('m.appId', '=', range.appId)
    .where('m.id', lowerOp, lower)
    .where('m.id', '<=', range.toMsgId)
    .where('m.payload', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('messageDelivery as d')
            .select('d.msgId')
            .whereRef('d.msgId', '=', 'm.id')
            .where('d.endpointId', '=', range.endpointId)
            .where('d.msgId', lowerOp, lower)
            .where('d.msgId', '<=', range.toMsgId),
        ),
      ),
    )
    .orderBy('m.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ msgId: r.id, attemptCount: 0 }));
}

/** Canceled deliveries (skipped by the endpoint's payload filter) among `msgIds` turn `fail` before a replay resends them. */
export async function reviveCanceledDeliveries(db: Database, tenantId: string, endpointId: string, msgIds: readonly string[]): Promise<void> {
  if (msgIds.length === 0) return;
  const { lo, hi } = idRange(msgIds);
  await db
    .updateTable('messageDelivery')
    .set({ status: 2, nextAttemptAt: null, updatedAt: new Date() })
    .where('tenantId', '=', tenantId)
    .where('endpointId', '=', endpointId)
    .where('msgId', '>=', lo)
    .where('msgId', '<=', hi)
    .where('msgId', 'in', [...msgIds])
    .where('status', '=', 4)
    .execute();
}
