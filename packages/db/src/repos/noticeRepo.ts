import { sql } from 'kysely';
import type { Database, Transaction } from '../connect.ts';
import type { NoticeKind, NotificationSettingRow } from '../schema.ts';

// Failure notices: an application's settings, and the per-endpoint state that decides each notice.
// Every query names the tenant.

export async function findSettings(db: Database, tenantId: string, appId: string): Promise<NotificationSettingRow | undefined> {
  return db.selectFrom('notificationSetting').selectAll().where('tenantId', '=', tenantId).where('appId', '=', appId).executeTakeFirst();
}

/** The row locked until the caller commits, so two writes of one application's settings take turns. */
export async function lockSettings(trx: Database, tenantId: string, appId: string): Promise<NotificationSettingRow | undefined> {
  return trx.selectFrom('notificationSetting').selectAll().where('tenantId', '=', tenantId).where('appId', '=', appId).forUpdate().executeTakeFirst();
}

export type SettingsWrite = Omit<NotificationSettingRow, 'createdAt' | 'updatedAt'> & { updatedAt: Date };

export async function upsertSettings(trx: Database, row: SettingsWrite): Promise<NotificationSettingRow> {
  const { appId: _appId, tenantId: _tenantId, ...changes } = row;
  return trx
    .insertInto('notificationSetting')
    .values({ ...row, createdAt: row.updatedAt })
    .onConflict((oc) => oc.column('appId').doUpdateSet(changes).where('notificationSetting.tenantId', '=', row.tenantId))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** What decides a notice after a failed attempt; none when the application has no settings. */
export interface FailureCount {
  consecutiveFailures: number;
  failingNoticed: boolean;
  events: NoticeKind[];
  thresholdFailures: number | null;
  failureRatePercent: number | null;
  failureRateWindowMinutes: number | null;
  minIntervalMinutes: number;
  /** Where the application's notices go: its emails, its chat webhook, both or neither. */
  targets: NoticeTarget[];
}

export type NoticeTarget = 'email' | 'chat';

/**
 * Counts a failed attempt of an endpoint whose application has notification settings, in one
 * statement: the count belongs to the endpoint's failing spell (`failingSince`), so one after a
 * success (a new spell) starts again at 1. Applications without settings write nothing.
 */
export async function countFailure(trx: Database, key: { tenantId: string; appId: string; endpointId: string }, failingSince: Date): Promise<FailureCount | undefined> {
  const row = await sql<FailureCount>`
    WITH s AS (
      SELECT events, emails, chat_webhook_url, consecutive_failures, failure_rate_percent, failure_rate_window_minutes, min_interval_minutes
      FROM notification_setting WHERE tenant_id = ${key.tenantId} AND app_id = ${key.appId}
    ), counted AS (
      INSERT INTO endpoint_notice_state AS st (endpoint_id, tenant_id, failing_since, consecutive_failures)
      SELECT ${key.endpointId}, ${key.tenantId}, ${failingSince}, 1 FROM s
      ON CONFLICT (endpoint_id) DO UPDATE SET
        consecutive_failures = CASE WHEN st.failing_since = excluded.failing_since THEN st.consecutive_failures + 1 ELSE 1 END,
        -- A spell that ended without the success being seen here (a batched success) ends the report too.
        failing_noticed = st.failing_noticed AND st.failing_since = excluded.failing_since,
        failing_since = excluded.failing_since
      WHERE st.tenant_id = excluded.tenant_id
      RETURNING st.consecutive_failures, st.failing_noticed
    )
    SELECT counted.consecutive_failures AS "consecutiveFailures", counted.failing_noticed AS "failingNoticed", s.events,
      s.consecutive_failures AS "thresholdFailures", s.failure_rate_percent AS "failureRatePercent",
      s.failure_rate_window_minutes AS "failureRateWindowMinutes", s.min_interval_minutes AS "minIntervalMinutes",
      array_remove(ARRAY[CASE WHEN cardinality(s.emails) > 0 THEN 'email' END, CASE WHEN s.chat_webhook_url IS NOT NULL THEN 'chat' END], NULL) AS targets
    FROM s, counted
  `.execute(trx);
  return row.rows[0];
}

/**
 * Ends an endpoint's failing spell after a success: the count starts again, and the answer says
 * whether a failing or disabled notice had gone out (so a recovered one is due) and which events
 * the application wants. Undefined when there is no state (nothing was counted).
 */
export async function endFailingSpell(
  trx: Database,
  tenantId: string,
  endpointId: string,
): Promise<{ failingNoticed: boolean; events: NoticeKind[]; targets: NoticeTarget[] } | undefined> {
  const row = await sql<{ failingNoticed: boolean; events: NoticeKind[] | null; targets: NoticeTarget[] | null }>`
    WITH old AS (
      SELECT endpoint_id, failing_noticed FROM endpoint_notice_state WHERE tenant_id = ${tenantId} AND endpoint_id = ${endpointId} FOR UPDATE
    ), reset AS (
      UPDATE endpoint_notice_state st SET consecutive_failures = 0, failing_noticed = false, failing_since = NULL
      FROM old WHERE st.endpoint_id = old.endpoint_id AND (st.consecutive_failures > 0 OR st.failing_noticed)
    )
    SELECT old.failing_noticed AS "failingNoticed", s.events, array_remove(ARRAY[CASE WHEN cardinality(s.emails) > 0 THEN 'email' END, CASE WHEN s.chat_webhook_url IS NOT NULL THEN 'chat' END], NULL) AS targets
    FROM old
    LEFT JOIN endpoint e ON e.tenant_id = ${tenantId} AND e.id = old.endpoint_id
    LEFT JOIN notification_setting s ON s.tenant_id = e.tenant_id AND s.app_id = e.app_id
  `.execute(trx);
  const found = row.rows[0];
  return found ? { failingNoticed: found.failingNoticed, events: found.events ?? [], targets: found.targets ?? [] } : undefined;
}

/** Attempts (successes and failures) of an endpoint in its last `minutes` minute buckets, from the statistics rollup. */
export async function recentAttemptCounts(db: Database, endpointId: string, since: Date): Promise<{ success: number; fail: number }> {
  const row = await db
    .selectFrom('deliveryStat')
    .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('success'), sql<number>`0`).as('success'), eb.fn.coalesce(eb.fn.sum<number>('fail'), sql<number>`0`).as('fail')])
    .where('endpointId', '=', endpointId)
    .where('minutes', '=', 1)
    .where('bucket', '>=', since)
    .executeTakeFirst();
  return { success: Number(row?.success ?? 0), fail: Number(row?.fail ?? 0) };
}

/**
 * Claims the right to send a notice about an endpoint now; false when its rate limit holds it
 * back. A failing notice (`limited`) needs `minIntervalMinutes` since the last notice of any kind;
 * disabled and recovered notices are not held back (each follows at most once what it answers).
 * Atomic: concurrent claims queue on the row and re-check the condition.
 */
export async function claimNotice(
  trx: Database,
  tenantId: string,
  endpointId: string,
  at: Date,
  { limited, minIntervalMinutes, failingNoticed }: { limited: boolean; minIntervalMinutes: number; failingNoticed: boolean },
): Promise<boolean> {
  const res = await trx
    .updateTable('endpointNoticeState')
    .set({ lastNoticeAt: at, failingNoticed })
    .where('tenantId', '=', tenantId)
    .where('endpointId', '=', endpointId)
    .$if(limited, (q) =>
      q.where((eb) => eb.or([eb('lastNoticeAt', 'is', null), eb('lastNoticeAt', '<=', sql<Date>`${at}::timestamptz - make_interval(mins => ${minIntervalMinutes})`)])),
    )
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** What a notice's text needs about its endpoint, application and vendor. */
export interface NoticeSubject {
  endpointUrl: string;
  endpointUid: string | null;
  appName: string;
  appUid: string | null;
  tenantName: string;
  portalLogo: string | null;
}

export async function findNoticeSubject(db: Database, tenantId: string, appId: string, endpointId: string): Promise<NoticeSubject | undefined> {
  return db
    .selectFrom('endpoint as e')
    .innerJoin('application as a', (j) => j.onRef('a.id', '=', 'e.appId').onRef('a.tenantId', '=', 'e.tenantId'))
    .innerJoin('tenant as t', 't.id', 'e.tenantId')
    .select(['e.url as endpointUrl', 'e.uid as endpointUid', 'a.name as appName', 'a.uid as appUid', 't.name as tenantName', 't.portalLogo'])
    .where('e.tenantId', '=', tenantId)
    .where('e.appId', '=', appId)
    .where('e.id', '=', endpointId)
    .executeTakeFirst();
}

/** The vendor's name and logo and the application's name, for a test notice. */
export async function findAppSubject(db: Database, tenantId: string, appId: string): Promise<Omit<NoticeSubject, 'endpointUrl' | 'endpointUid'> | undefined> {
  return db
    .selectFrom('application as a')
    .innerJoin('tenant as t', 't.id', 'a.tenantId')
    .select(['a.name as appName', 'a.uid as appUid', 't.name as tenantName', 't.portalLogo'])
    .where('a.tenantId', '=', tenantId)
    .where('a.id', '=', appId)
    .executeTakeFirst();
}

/** Settings whose chat webhook URL is not under `prefix` (re-encryption), locked, in id order. */
export async function lockChatUrlsNotUnder(
  trx: Transaction,
  prefix: string,
  afterAppId: string,
  limit: number,
): Promise<Array<{ appId: string; tenantId: string; chatWebhookUrl: string }>> {
  const rows = await trx
    .selectFrom('notificationSetting')
    .select(['appId', 'tenantId', 'chatWebhookUrl'])
    .where('appId', '>', afterAppId)
    .where('chatWebhookUrl', 'is not', null)
    .where(sql<boolean>`NOT starts_with(chat_webhook_url, ${prefix})`)
    .orderBy('appId')
    .limit(limit)
    .forUpdate()
    .execute();
  return rows.map((r) => ({ ...r, chatWebhookUrl: r.chatWebhookUrl! }));
}

export async function setChatUrl(trx: Database, appId: string, chatWebhookUrl: string): Promise<void> {
  await trx.updateTable('notificationSetting').set({ chatWebhookUrl }).where('appId', '=', appId).execute();
}
