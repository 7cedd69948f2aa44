import { noticeRepo, type Database, type NoticeJob, type NotificationSettingRow } from '@hookline/db';
import { recordAudit, type AuditContext } from '../audit/auditLog.ts';
import type { Config } from '../config.ts';
import { createHttpSender, type HttpSender } from '../delivery/httpClient.ts';
import type { AllowList } from '../delivery/ssrfGuard.ts';
import type { SecretBox } from '../secrets/secretBox.ts';
import { chatBody } from './chatNotice.ts';
import { smtpNoticeMailer, type NoticeMailer } from './noticeEmail.ts';
import { displayUrl, noticeText, type NoticeText } from './noticeMessage.ts';
import type { NoticeTestOut } from './noticeSchemas.ts';
import { readChatUrl } from './notificationSettings.ts';

// Sending failure notices: by the worker for a queued notice job, by the API for a test notice.

/** What sends notices: SMTP when configured, and an HTTP sender behind the SSRF guard for chat webhooks. */
export interface NoticeSenders {
  /** Undefined without HOOKLINE_SMTP_URL: email notices are skipped. */
  mailer: NoticeMailer | undefined;
  http: HttpSender;
  /** The portal's address, linked from notices (HOOKLINE_PUBLIC_URL). */
  portalUrl: string | undefined;
  close(): Promise<void>;
}

/** A chat service's answers are short; only a failure's status and a line of its body matter. */
const CHAT_RESPONSE_BYTES = 2048;

export function createNoticeSenders(config: Readonly<Config>, allow: AllowList): NoticeSenders {
  const mailer = config.smtpUrl ? smtpNoticeMailer(config.smtpUrl, config.smtpFrom) : undefined;
  const http = createHttpSender({
    allow,
    timeoutMs: config.deliveryTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    maxResponseBytes: CHAT_RESPONSE_BYTES,
    connectionsPerOrigin: 4,
    ...(config.egressProxy ? { proxy: config.egressProxy } : {}),
  });
  return {
    mailer,
    http,
    portalUrl: config.publicUrl ? `${config.publicUrl.replace(/\/+$/, '')}/portal/` : undefined,
    async close() {
      mailer?.close();
      await http.close();
    },
  };
}

/** A notice that could not be sent; its message names no credential (no chat URL, no SMTP password). */
export class NoticeSendError extends Error {
  override name = 'NoticeSendError';
}

/** Posts a notice to a chat webhook; throws NoticeSendError unless it answers 2xx. */
async function postToChat(http: HttpSender, settings: NotificationSettingRow, url: string, text: NoticeText): Promise<void> {
  const res = await http.send({ url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(chatBody(settings.chatKind!, text)) });
  if (res.kind === 'error') throw new NoticeSendError(`the ${settings.chatKind} webhook could not be reached: ${res.error}`);
  if (res.status < 200 || res.status >= 300 || res.incomplete) throw new NoticeSendError(`the ${settings.chatKind} webhook answered HTTP ${res.status}`);
}

async function mail(mailer: NoticeMailer, to: readonly string[], text: NoticeText, logo: string | null) {
  try {
    return await mailer.send({ to, text, logo });
  } catch (err) {
    // nodemailer's message says what the server answered; its URL (with a password) is not in it.
    throw new NoticeSendError(`the SMTP server did not take the notice: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export type NoticeOutcome = 'sent' | 'no-target' | 'no-smtp';

/**
 * Sends one queued notice to its target, as the settings and the endpoint are now (a target
 * removed since is not written to). Throws NoticeSendError when the target refused it, for the
 * queue to retry.
 */
export async function sendNotice(db: Database, box: SecretBox, senders: NoticeSenders, job: NoticeJob): Promise<NoticeOutcome> {
  const [settings, subject] = await Promise.all([
    noticeRepo.findSettings(db, job.tenantId, job.appId),
    noticeRepo.findNoticeSubject(db, job.tenantId, job.appId, job.endpointId),
  ]);
  if (!settings || !subject) return 'no-target';
  const text = noticeText({
    kind: job.kind,
    vendorName: subject.tenantName,
    appName: subject.appName,
    endpointUrl: displayUrl(subject.endpointUrl),
    at: new Date(job.at),
    lastError: job.lastError,
    consecutiveFailures: job.consecutiveFailures,
    portalUrl: senders.portalUrl,
  });
  if (job.target === 'email') {
    if (settings.emails.length === 0) return 'no-target';
    if (!senders.mailer) return 'no-smtp';
    const result = await mail(senders.mailer, settings.emails, text, subject.portalLogo);
    if (result.accepted.length === 0) throw new NoticeSendError('the SMTP server refused every address');
    return 'sent';
  }
  const url = readChatUrl(box, settings);
  if (!url) return 'no-target';
  await postToChat(senders.http, settings, url, text);
  return 'sent';
}

/**
 * Sends a test notice to every target of application `appId` now and says how each went. Audited
 * (which targets, not their addresses' secrets). No settings or no targets: an empty list.
 */
export async function sendTestNotice(db: Database, tenantId: string, appId: string, box: SecretBox, senders: NoticeSenders, audit: AuditContext): Promise<NoticeTestOut> {
  const [settings, subject] = await Promise.all([noticeRepo.findSettings(db, tenantId, appId), noticeRepo.findAppSubject(db, tenantId, appId)]);
  const results: NoticeTestOut['results'] = [];
  if (settings && subject) {
    const text = noticeText({ kind: 'test', vendorName: subject.tenantName, appName: subject.appName, endpointUrl: null, at: new Date(), portalUrl: senders.portalUrl });
    if (settings.emails.length > 0) {
      if (!senders.mailer) {
        for (const to of settings.emails) results.push({ target: 'email', to, ok: false, error: 'email is not configured on this server (HOOKLINE_SMTP_URL)' });
      } else {
        try {
          const { rejected } = await mail(senders.mailer, settings.emails, text, subject.portalLogo);
          const refused = new Set(rejected.map((a) => a.toLowerCase()));
          for (const to of settings.emails)
            results.push({ target: 'email', to, ok: !refused.has(to), ...(refused.has(to) ? { error: 'the SMTP server refused this address' } : {}) });
        } catch (err) {
          for (const to of settings.emails) results.push({ target: 'email', to, ok: false, error: (err as Error).message });
        }
      }
    }
    const url = readChatUrl(box, settings);
    if (url) {
      try {
        await postToChat(senders.http, settings, url, text);
        results.push({ target: 'chat', to: settings.chatKind!, ok: true });
      } catch (err) {
        results.push({ target: 'chat', to: settings.chatKind!, ok: false, error: (err as Error).message });
      }
    }
  }
  await recordAudit(db, audit, {
    action: 'application.notifications.tested',
    target: { kind: 'application', id: appId, appId },
    changes: { targets: { to: results.map((r) => `${r.target}:${r.ok ? 'ok' : 'failed'}`) } },
  });
  return { results };
}
