import { noticeRepo, type Database, type NotificationSettingRow } from '@hookline/db';
import { describeChanges } from '../audit/auditChanges.ts';
import { inAuditedTransaction, recordAudit, type AuditContext } from '../audit/auditLog.ts';
import type { AllowList } from '../delivery/ssrfGuard.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import { noticeChatUrlPlace, readSecret } from '../secrets/secretPlaces.ts';
import { checkChatUrl, maskChatUrl } from './chatNotice.ts';
import { DEFAULT_CONSECUTIVE_FAILURES, DEFAULT_MIN_INTERVAL_MINUTES, NOTICE_KINDS, type NotificationSettingsIn, type NotificationSettingsOut } from './noticeSchemas.ts';

// An application's failure-notice settings (docs/api.md#failure-notices): who hears of its failing
// endpoints, and when. The chat webhook URL is a credential: encrypted at rest, masked when shown,
// recorded in the audit log as changed only.

/** What an application without settings answers: nobody is told anything. */
const NO_SETTINGS: NotificationSettingsOut = {
  emails: [],
  chatWebhookUrl: null,
  chatKind: null,
  thresholds: { consecutiveFailures: DEFAULT_CONSECUTIVE_FAILURES },
  minIntervalMinutes: DEFAULT_MIN_INTERVAL_MINUTES,
  events: [...NOTICE_KINDS],
  updatedAt: null,
};

export function toNotificationSettingsOut(row: NotificationSettingRow | undefined, maskedUrl: string | null): NotificationSettingsOut {
  if (!row) return NO_SETTINGS;
  return {
    emails: row.emails,
    chatWebhookUrl: maskedUrl,
    chatKind: row.chatKind,
    thresholds: {
      ...(row.consecutiveFailures !== null ? { consecutiveFailures: row.consecutiveFailures } : {}),
      ...(row.failureRatePercent !== null && row.failureRateWindowMinutes !== null
        ? { failureRate: { percent: row.failureRatePercent, windowMinutes: row.failureRateWindowMinutes } }
        : {}),
    },
    minIntervalMinutes: row.minIntervalMinutes,
    events: row.events,
    updatedAt: row.updatedAt,
  };
}

/** The stored chat webhook URL in clear, for sending; undefined when there is none. */
export function readChatUrl(box: SecretBox, row: NotificationSettingRow): string | undefined {
  if (row.chatWebhookUrl === null) return undefined;
  return readSecret(box, row.chatWebhookUrl, noticeChatUrlPlace(row), 'The chat webhook URL', 'Set it again.');
}

const outOf = (box: SecretBox, row: NotificationSettingRow | undefined) =>
  toNotificationSettingsOut(row, row && row.chatWebhookUrl !== null ? maskChatUrl(readChatUrl(box, row)!) : null);

export async function getNotificationSettings(db: Database, tenantId: string, appId: string, box: SecretBox): Promise<NotificationSettingsOut> {
  return outOf(box, await noticeRepo.findSettings(db, tenantId, appId));
}

const AUDITED = ['emails', 'chatWebhookUrl', 'chatKind', 'thresholds', 'minIntervalMinutes', 'events'] as const;

/**
 * Replaces application `appId`'s settings (an id, resolved by the caller). `chatWebhookUrl`
 * absent keeps the stored URL (a client may send back what it read, masked), null removes it.
 */
export async function putNotificationSettings(
  db: Database,
  tenantId: string,
  appId: string,
  input: NotificationSettingsIn,
  deps: { box: SecretBox; allow: AllowList },
  audit: AuditContext,
): Promise<NotificationSettingsOut> {
  const chatKind = input.chatWebhookUrl ? await checkChatUrl(input.chatWebhookUrl, input.chatKind, deps.allow) : undefined;
  return inAuditedTransaction(db, async (trx) => {
    const before = await noticeRepo.lockSettings(trx, tenantId, appId);
    const place = noticeChatUrlPlace({ appId, tenantId });
    const chat =
      input.chatWebhookUrl === undefined
        ? { chatWebhookUrl: before?.chatWebhookUrl ?? null, chatKind: input.chatKind && before?.chatWebhookUrl ? input.chatKind : (before?.chatKind ?? null) }
        : input.chatWebhookUrl === null
          ? { chatWebhookUrl: null, chatKind: null }
          : { chatWebhookUrl: deps.box.encrypt(input.chatWebhookUrl, place), chatKind: chatKind! };
    const { consecutiveFailures, failureRate } = input.thresholds;
    const after = await noticeRepo.upsertSettings(trx, {
      appId,
      tenantId,
      emails: [...new Set(input.emails.map((e) => e.toLowerCase()))],
      ...chat,
      consecutiveFailures: consecutiveFailures ?? null,
      failureRatePercent: failureRate?.percent ?? null,
      failureRateWindowMinutes: failureRate?.windowMinutes ?? null,
      minIntervalMinutes: input.minIntervalMinutes,
      events: [...new Set(input.events)],
      updatedAt: new Date(),
    });
    // The URL enters the log as changed or not, never its value (masked or not).
    const urlChanged = input.chatWebhookUrl !== undefined && (input.chatWebhookUrl !== null || before?.chatWebhookUrl != null);
    const changes = describeChanges(
      before && { ...toNotificationSettingsOut(before, null), chatWebhookUrl: before.chatWebhookUrl === null ? null : 'set' },
      { ...toNotificationSettingsOut(after, null), chatWebhookUrl: after.chatWebhookUrl === null ? null : 'set' },
      AUDITED,
    );
    if (urlChanged && after.chatWebhookUrl !== null) changes['chatWebhookUrl'] = { changed: true };
    await recordAudit(trx, audit, { action: 'application.notifications.updated', target: { kind: 'application', id: appId, appId }, changes });
    return outOf(deps.box, after);
  });
}
