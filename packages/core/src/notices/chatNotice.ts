import net from 'node:net';
import type { ChatKind } from '@hookline/db';
import { ValidationError } from '../errors.ts';
import { ALLOW_PUBLIC_ONLY, checkAddress, checkEndpointUrl, type AllowList } from '../delivery/ssrfGuard.ts';
import type { NoticeText } from './noticeMessage.ts';

// Notices posted to a chat service's incoming webhook, in the body shape each service expects
// (the same as transformations/templates.ts builds from a message).

const HOSTS: Array<[RegExp, ChatKind]> = [
  [/^hooks\.slack\.com$/, 'slack'],
  [/^(?:(?:canary|ptb)\.)?discord(?:app)?\.com$/, 'discord'],
  [/(?:^|\.)webhook\.office\.com$|(?:^|\.)logic\.azure\.com$|(?:^|\.)powerplatform\.com$/, 'teams'],
];

/** The chat service a webhook URL belongs to, from its host; undefined when the host does not say. */
export function chatKindOf(url: URL): ChatKind | undefined {
  const host = url.hostname.toLowerCase();
  return HOSTS.find(([pattern]) => pattern.test(host))?.[1];
}

/** The URL as shown back: scheme and host only, as the path carries the webhook's token. */
export const maskChatUrl = (url: string): string => {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
};

const LOC = ['body', 'chatWebhookUrl'];

/**
 * Checks a chat webhook URL and settles its kind: https (plain http only to an address the
 * deployment allows as a private target, such as a relay), accepted by the network policy, and of
 * a known service or with `chatKind` given. Messages name the host at most, never the path.
 */
export async function checkChatUrl(value: string, given: ChatKind | undefined, allow: AllowList): Promise<ChatKind> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(LOC, 'expected an https URL');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A private address the deployment allows is reached on its own network: TLS is its operator's choice.
  const privateHttp = url.protocol === 'http:' && net.isIP(host) !== 0 && checkAddress(host, allow).allowed && !checkAddress(host, ALLOW_PUBLIC_ONLY).allowed;
  if (url.protocol !== 'https:' && !privateHttp) throw new ValidationError(LOC, 'expected an https URL');
  const kind = given ?? chatKindOf(url);
  if (!kind) throw new ValidationError(['body', 'chatKind'], `the host ${url.hostname} is not a known Slack, Discord or Teams webhook host: give chatKind`);
  const verdict = await checkEndpointUrl(value, allow);
  if (!verdict.ok) throw new ValidationError(LOC, verdict.reason);
  return kind;
}

const detailText = (text: NoticeText, bold: (s: string) => string): string => text.details.map(([label, value]) => `${bold(label)}: ${value}`).join('\n');
const withLink = (text: NoticeText, body: string, link: (url: string) => string): string => (text.portalUrl ? `${body}\n${link(text.portalUrl)}` : body);

/** The JSON body of a notice for `kind`'s incoming webhook. */
export function chatBody(kind: ChatKind, text: NoticeText): Record<string, unknown> {
  const story = text.lines.join('\n');
  if (kind === 'slack') {
    const details = withLink(
      text,
      detailText(text, (s) => `*${s}*`),
      (u) => `<${u}|Open the portal>`,
    );
    return {
      text: text.title,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${text.title}*\n${story}` } },
        { type: 'section', text: { type: 'mrkdwn', text: details } },
      ],
    };
  }
  if (kind === 'discord') {
    return {
      content: text.title,
      embeds: [
        {
          title: text.title,
          description: story,
          fields: text.details.map(([name, value]) => ({ name, value: value.slice(0, 1024) })),
          ...(text.portalUrl ? { url: text.portalUrl } : {}),
        },
      ],
      allowed_mentions: { parse: [] },
    };
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: text.title },
            { type: 'TextBlock', wrap: true, text: story },
            { type: 'FactSet', facts: text.details.map(([title, value]) => ({ title, value })) },
          ],
          ...(text.portalUrl ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the portal', url: text.portalUrl }] } : {}),
        },
      },
    ],
  };
}
