import type { SendMailOptions } from 'nodemailer';
import { smtpTransport } from '../mail/smtpTransport.ts';
import type { NoticeText } from './noticeMessage.ts';

// Failure notices by email: plain text and a simple HTML version with the vendor's logo.

export interface NoticeMail {
  to: readonly string[];
  text: NoticeText;
  /** The vendor's logo (tenant settings): an https URL, or a data:image URL sent as an inline image. */
  logo: string | null;
}

/** Which addresses the SMTP server took and which it refused. */
export interface MailResult {
  accepted: string[];
  rejected: string[];
}

export interface NoticeMailer {
  send(mail: NoticeMail): Promise<MailResult>;
  close(): void;
}

const LOGO_CID = 'vendor-logo@hookline';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function plainText(text: NoticeText): string {
  return [
    ...text.lines,
    '',
    ...text.details.map(([label, value]) => `${label}: ${value}`),
    ...(text.portalUrl ? ['', `Manage your endpoints: ${text.portalUrl}`] : []),
  ].join('\n');
}

function html(text: NoticeText, logoSrc: string | undefined): string {
  const rows = text.details.map(([label, value]) => `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`);
  return [
    '<!doctype html><html><body style="font-family:sans-serif;color:#222">',
    logoSrc ? `<p><img src="${escapeHtml(logoSrc)}" alt="" style="max-height:48px"></p>` : '',
    `<h2 style="font-size:18px">${escapeHtml(text.title)}</h2>`,
    ...text.lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<table style="border-collapse:collapse">${rows.join('')}</table>`,
    text.portalUrl ? `<p><a href="${escapeHtml(text.portalUrl)}">Manage your endpoints</a></p>` : '',
    '</body></html>',
  ].join('\n');
}

/** The nodemailer message of a notice (exported for its test of the template). */
export function noticeMessage(from: string, mail: NoticeMail): SendMailOptions {
  const inline = mail.logo?.startsWith('data:') === true;
  const logoSrc = mail.logo ? (inline ? `cid:${LOGO_CID}` : mail.logo) : undefined;
  return {
    from,
    to: [...mail.to],
    subject: mail.text.title,
    text: plainText(mail.text),
    html: html(mail.text, logoSrc),
    ...(inline ? { attachments: [{ path: mail.logo!, cid: LOGO_CID, filename: 'logo' }] } : {}),
  };
}

/** A NoticeMailer over SMTP (nodemailer, the URL syntax of HOOKLINE_SMTP_URL). */
export function smtpNoticeMailer(smtpUrl: string, from: string): NoticeMailer {
  const transport = smtpTransport(smtpUrl);
  return {
    async send(mail) {
      const info = await transport.sendMail(noticeMessage(from, mail));
      const addresses = (list: unknown): string[] =>
        Array.isArray(list) ? list.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address))) : [];
      return { accepted: addresses(info.accepted), rejected: addresses(info.rejected) };
    },
    close: () => transport.close(),
  };
}
