import type { MessageAttemptRow } from '@hookline/db';
import { isSensitiveHeader } from '../endpoints/headerRules.ts';
import { DEFAULT_USER_AGENT } from './httpClient.ts';

// The request headers of an attempt, as the worker sent them: recorded with the attempt (0028),
// because the endpoint's headers and secrets change after it and a rebuilt list would show the
// present, not what the receiver got.

/** Headers Hookline itself sets on every attempt: an endpoint cannot set these (headerRules), so they are never its custom headers. */
export const HOOKLINE_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'svix-id',
  'svix-timestamp',
  'svix-signature',
  'content-type',
  'user-agent',
]);

/**
 * The headers as stored with the attempt (JSON): a credential's value is left out, as null. A
 * credential is what the endpoint's header settings keep out of sight (isSensitiveHeader:
 * Authorization, Proxy-Authorization, Cookie, and any name with key, token, secret, auth,
 * password or session in it), so a value the header settings never show is never written here.
 */
export function recordableHeaders(sent: Readonly<Record<string, string>>): string {
  const out: Record<string, string | null> = {};
  for (const name of Object.keys(sent)) out[name] = isSensitiveHeader(name) ? null : sent[name]!;
  return JSON.stringify(out);
}

/** An attempt's request headers as the API shows them. */
export interface SentHeadersOut {
  /** False for attempts recorded before headers were (0028): the list is rebuilt from the attempt, without its signature. */
  recorded: boolean;
  headers: Record<string, string>;
  /** Headers that were sent but whose values are not shown: credentials, and custom headers to a caller that may not read them. */
  redacted: string[];
}

/**
 * What the caller sees of an attempt's request headers. `showCustomValues`: whether the caller may
 * read an endpoint's header values (what GET …/headers shows it); else custom headers are named only.
 */
export function sentHeadersOut(row: Pick<MessageAttemptRow, 'msgId' | 'createdAt' | 'responseDurationMs' | 'requestHeaders'>, showCustomValues: boolean): SentHeadersOut {
  if (row.requestHeaders === null) return rebuiltHeaders(row);
  const out: SentHeadersOut = { recorded: true, headers: {}, redacted: [] };
  for (const [name, value] of Object.entries(row.requestHeaders)) {
    if (value === null || (!showCustomValues && !HOOKLINE_REQUEST_HEADERS.has(name))) out.redacted.push(name);
    else out.headers[name] = value;
  }
  return out;
}

/** An attempt from before 0028: the headers every attempt carries, the timestamp as of when it was signed (recorded minus its duration). */
function rebuiltHeaders(row: Pick<MessageAttemptRow, 'msgId' | 'createdAt' | 'responseDurationMs'>): SentHeadersOut {
  const signedAt = Math.floor((row.createdAt.getTime() - row.responseDurationMs) / 1000);
  return {
    recorded: false,
    headers: { 'webhook-id': row.msgId, 'webhook-timestamp': String(signedAt), 'user-agent': DEFAULT_USER_AGENT, 'content-type': 'application/json' },
    redacted: ['webhook-signature'],
  };
}
