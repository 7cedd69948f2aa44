import type { NoticeKind } from '@hookline/db';

// What a failure notice says, whatever carries it (email or chat): built once from the facts, so
// every target tells the same story.

export interface NoticeFacts {
  kind: NoticeKind | 'test';
  vendorName: string;
  appName: string;
  /** The endpoint's URL as shown to people: see displayUrl. */
  endpointUrl: string | null;
  at: Date;
  lastError?: { status: number; response: string } | undefined;
  consecutiveFailures?: number | undefined;
  /** The portal's address when HOOKLINE_PUBLIC_URL is set. */
  portalUrl?: string | undefined;
}

export interface NoticeText {
  title: string;
  /** Short paragraphs, in order. */
  lines: string[];
  /** Label and value pairs: the details a reader looks for. */
  details: Array<[string, string]>;
  portalUrl: string | undefined;
}

/** The longest piece of the last response or error a notice quotes. */
const ERROR_EXCERPT = 300;

/**
 * An endpoint URL without what may be a credential: user name and password, query and fragment
 * (receivers often take a token there) are left out.
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search || u.hash ? ' (query left out)' : ''}`;
  } catch {
    return '(not a valid URL)';
  }
}

const HEADLINES: Record<NoticeFacts['kind'], (f: NoticeFacts) => string> = {
  failing: (f) => `Webhook endpoint failing in ${f.appName}`,
  disabled: (f) => `Webhook endpoint disabled in ${f.appName}`,
  recovered: (f) => `Webhook endpoint recovered in ${f.appName}`,
  test: (f) => `Test notice for ${f.appName}`,
};

const STORIES: Record<NoticeFacts['kind'], (f: NoticeFacts) => string> = {
  failing: (f) =>
    `${f.vendorName} could not deliver webhooks to your endpoint${f.consecutiveFailures ? ` (${f.consecutiveFailures} failed attempts in a row)` : ''}. ` +
    'Deliveries are retried on a schedule; if the endpoint keeps failing it will be disabled.',
  disabled: (f) => `${f.vendorName} disabled your webhook endpoint after it kept failing. No more webhooks are sent to it until it is enabled again.`,
  recovered: (f) => `Your webhook endpoint accepts ${f.vendorName}'s webhooks again.`,
  test: (f) => `This is a test of ${f.vendorName}'s failure notices: they will reach you here when an endpoint fails, is disabled or recovers.`,
};

export function noticeText(facts: NoticeFacts): NoticeText {
  const details: Array<[string, string]> = [['Application', facts.appName]];
  if (facts.endpointUrl) details.push(['Endpoint', facts.endpointUrl]);
  details.push(['When', facts.at.toISOString()]);
  if (facts.lastError && facts.kind !== 'recovered') {
    const { status, response } = facts.lastError;
    const excerpt = response.length > ERROR_EXCERPT ? `${response.slice(0, ERROR_EXCERPT)}…` : response;
    details.push(['Last error', `${status === 0 ? 'no response' : `HTTP ${status}`}${excerpt ? `: ${excerpt}` : ''}`]);
  }
  return {
    title: `[${facts.vendorName}] ${HEADLINES[facts.kind](facts)}`,
    lines: [STORIES[facts.kind](facts)],
    details,
    portalUrl: facts.portalUrl,
  };
}
