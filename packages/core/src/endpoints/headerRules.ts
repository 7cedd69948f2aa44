import { z } from 'zod';

// Which custom headers an endpoint may carry, and which are shown. The lists are Svix's (its
// `FORBIDDEN_KEYS`, `FORBIDDEN_PREFIXES` and `SENSITIVE_HEADERS`), plus the headers Hookline
// itself sets on every attempt and the ones the HTTP client owns.

/** Hop-by-hop, framing and caching headers: a receiver must not get a second, conflicting value. */
const FORBIDDEN_NAMES = new Set([
  'user-agent',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'age',
  'cache-control',
  'clear-site-data',
  'expires',
  'pragma',
  'warning',
  'content-length',
  'content-type',
  'content-encoding',
  'content-language',
  'content-location',
  // Set by Hookline on each attempt: a custom value would break or forge the signature.
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  // Owned by the connection: undici refuses some, and Host would not match the checked address.
  'host',
  'connection',
]);

/** Prefixes that cloud front ends and Svix reserve for themselves. */
const FORBIDDEN_PREFIXES = ['x-amz-', 'x-amzn-', 'x-google', 'x-goog-', 'x-gfe', 'x-azure-', 'x-fd-', 'x-svix-', 'svix-'];

/**
 * Headers that hold credentials: listed by name in `sensitive`, their values never returned.
 * Svix names five; a receiver's credential is as often `Cookie`, `X-Api-Key` or `X-Session-Id`,
 * so any name with one of these words counts (`Authorization` and `X-Auth-Token` among them).
 */
const SENSITIVE_NAME = /cookie|key|token|secret|auth|password|passwd|session/i;

/** An RFC 9110 token, the only thing a header name may be. */
const headerTokenSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a valid header name');

export const isForbiddenHeader = (name: string): boolean => {
  const lower = name.toLowerCase();
  return FORBIDDEN_NAMES.has(lower) || FORBIDDEN_PREFIXES.some((p) => lower.startsWith(p));
};

export const isSensitiveHeader = (name: string): boolean => SENSITIVE_NAME.test(name);

export const settableHeaderNameSchema = headerTokenSchema.refine((name) => !isForbiddenHeader(name), {
  message: 'is a reserved header that an endpoint cannot set',
});

/**
 * A map of header name to `value`. Names are checked here rather than by a record key schema so
 * that a bad name is reported under its own `loc` with its own message.
 */
export const headerMapSchema = <V extends z.ZodType>(value: V) =>
  z.record(z.string(), value).superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      const parsed = settableHeaderNameSchema.safeParse(name);
      if (!parsed.success) ctx.addIssue({ code: 'custom', path: [name], message: parsed.error.issues[0]?.message ?? 'invalid header name' });
    }
  });

// Control characters (CR, LF, NUL…) would split or corrupt the request; a tab is legal.
const hasControlCharacter = (value: string): boolean =>
  [...value].some((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && c !== '\t') || code === 0x7f;
  });
export const headerValueSchema = z
  .string()
  .max(4096)
  .refine((value) => !hasControlCharacter(value), 'must not contain control characters');

/** Of names that differ only in case (one header to HTTP), the last one given wins. */
export function withoutCaseDuplicates(headers: Record<string, string>): Record<string, string> {
  const byLower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), [name, value] as const]));
  return Object.fromEntries(byLower.values());
}
