import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { parseEncryptionKeys, type EncryptionKey } from './secrets/secretBox.ts';

/** Default retry delays in seconds after the first (immediate) attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000] as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const retrySchedule = z.string().transform((value, ctx) => {
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const out = parts.map(Number);
  if (parts.length === 0 || parts.length > 50 || out.some((n) => !Number.isFinite(n) || n < 0 || n > 30 * 86400)) {
    ctx.addIssue({ code: 'custom', message: 'expected a comma-separated list of 1 to 50 delays in seconds (0 to 2592000), e.g. "5,300,1800"' });
    return z.NEVER;
  }
  return out;
});

// CSP frame-ancestors sources: origins (a scheme, or a host with an optional *. and port), *, 'self' or 'none'.
// Checked strictly because the value goes into a response header as it is.
const FRAME_SOURCE = /^(\*|'self'|'none'|[a-z][a-z0-9+.-]*:|([a-z][a-z0-9+.-]*:\/\/)?(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d{1,5}|\*))?)$/i;
export const frameAncestorsSchema = z.string().transform((value, ctx) => {
  const sources = value.split(/[\s,]+/).filter((s) => s.length > 0);
  if (sources.length === 0 || sources.some((s) => !FRAME_SOURCE.test(s)) || (sources.includes("'none'") && sources.length > 1)) {
    ctx.addIssue({
      code: 'custom',
      message: "expected space-separated origins allowed to embed the portal, e.g. \"https://app.example.com https://*.example.com\", or * or 'self' or 'none'",
    });
    return z.NEVER;
  }
  return sources.join(' ');
});

// Origins a production portal may send its token to besides its own: scheme://host[:port], nothing else,
// as they go into the CSP header and the portal page.
const ORIGIN = /^https?:\/\/[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/i;
const apiOrigins = z.string().transform((value, ctx) => {
  const origins = value.split(/[\s,]+/).filter((s) => s.length > 0);
  if (origins.some((o) => !ORIGIN.test(o))) {
    ctx.addIssue({ code: 'custom', message: 'expected space- or comma-separated origins such as "https://api.example.com" (scheme, host and port only)' });
    return z.NEVER;
  }
  return [...new Set(origins.map((o) => o.toLowerCase()))];
});

/** `kid:key,kid:key`: portal signing keys by key id, the first one signing new tokens. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const portalSigningKeys = z.string().transform((value, ctx) => {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const keys = entries.map((entry) => {
    const colon = entry.indexOf(':');
    return { kid: entry.slice(0, Math.max(colon, 0)), secret: colon < 0 ? '' : entry.slice(colon + 1) };
  });
  const kids = keys.map((k) => k.kid);
  if (keys.length === 0 || keys.some((k) => !KEY_ID.test(k.kid) || k.secret.length < 32) || new Set(kids).size !== kids.length) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected "kid:key,kid:key" with unique key ids (letters, digits, . _ -) and keys of at least 32 characters; the first key signs',
    });
    return z.NEVER;
  }
  return keys;
});

const encryptionKeys = z.string().transform((value, ctx) => {
  try {
    return parseEncryptionKeys(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : 'invalid keys' });
    return z.NEVER;
  }
});

// Express's `trust proxy`: false (the default: the socket's address is the client), true (the
// left-most X-Forwarded-For entry), a number of proxy hops, or the proxies' addresses/subnets.
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (entry: string): boolean => {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};
const trustProxy = z.string().transform((value, ctx): boolean | number | string[] => {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const entries = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (entries.length === 0 || !entries.every(isProxyAddress)) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected false, true, a number of proxy hops, or a comma-separated list of proxy addresses or subnets (e.g. "loopback, 10.0.0.0/8")',
    });
    return z.NEVER;
  }
  return entries;
});

const booleanish = z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1');

/** Every setting, read from the environment once at start. Keys are the environment variable names. */
export const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  HOOKLINE_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  HOOKLINE_DATA_DIR: z.string().min(1).default('.hookline'),
  // Unset: a free port picked on the first start and kept in the data folder (see embeddedPort.ts).
  HOOKLINE_EMBEDDED_PG_PORT: int(1, 65535).optional(),
  HOOKLINE_PUBLIC_URL: z.string().url().optional(),
  HOOKLINE_PORTAL_SIGNING_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  HOOKLINE_PORTAL_SIGNING_KEYS: portalSigningKeys.optional(),
  HOOKLINE_ENCRYPTION_KEYS: encryptionKeys.optional(),
  // Only Hookline's own pages may frame the portal by default: an operator names the vendor's
  // dashboard origins to embed it (docs/security.md), so no other site can dress it up.
  HOOKLINE_PORTAL_FRAME_ANCESTORS: frameAncestorsSchema.default("'self'"),
  HOOKLINE_PORTAL_API_ORIGINS: apiOrigins.optional(),
  HOOKLINE_ALLOW_PRIVATE_TARGETS: z.string().default(''),
  HOOKLINE_RETRY_SCHEDULE: retrySchedule.optional(),
  HOOKLINE_DELIVERY_TIMEOUT_MS: int(100, 300_000).default(15_000),
  HOOKLINE_SHUTDOWN_TIMEOUT_MS: int(0, 3_600_000).default(30_000),
  HOOKLINE_AUTO_DISABLE_AFTER_SECONDS: int(1, 365 * 86400).default(5 * 86400),
  HOOKLINE_CONNECT_TIMEOUT_MS: int(100, 60_000).default(5_000),
  HOOKLINE_RESPONSE_MAX_BYTES: int(0, 1024 * 1024).default(20 * 1024),
  // 16 per endpoint lets one endpoint take a high rate (docs/performance.md); the capacity stays 128
  // times that, so 128 endpoints that hang at once still leave the others room.
  HOOKLINE_DELIVERY_CONCURRENCY: int(1, 10_000).default(2048),
  HOOKLINE_ENDPOINT_CONCURRENCY: int(1, 1000).default(16),
  HOOKLINE_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  HOOKLINE_SUPERVISE_INTERVAL_SECONDS: int(1, 3600).default(10),
  // Fractions of a day are allowed, mostly so tests can watch retention work.
  HOOKLINE_PAYLOAD_RETENTION_DAYS: z.coerce.number().min(0.00001).max(3650).default(90),
  HOOKLINE_MESSAGE_RETENTION_DAYS: z.coerce.number().min(0.00001).max(3650).default(90),
  HOOKLINE_AUDIT_RETENTION_DAYS: z.coerce.number().min(1).max(36500).default(365),
  HOOKLINE_QUEUE_RETENTION_SECONDS: int(1, 7 * 86400).default(3600),
  // Width of a history partition: retention drops whole ones (docs/architecture.md).
  HOOKLINE_HISTORY_PARTITION_SECONDS: int(60, 365 * 86400).default(86400),
  HOOKLINE_QUEUE_MAINTENANCE_INTERVAL_SECONDS: int(1, 86400).default(300),
  // A cron step (*/N minutes), so it must divide the hour; short only for soak tests that watch retention.
  HOOKLINE_MAINTENANCE_INTERVAL_MINUTES: int(1, 60)
    .refine((n) => 60 % n === 0, 'must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)')
    .default(10),
  HOOKLINE_MAX_BODY_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  // A page of 250 items with 1 MiB payloads would be 250 MiB; a few MiB keep a list call cheap.
  HOOKLINE_MAX_PAGE_BYTES: int(16 * 1024, 1024 * 1024 * 1024).default(4 * 1024 * 1024),
  // A poll returns messages published at least this long ago, so one still committing is not passed over (docs/api.md).
  HOOKLINE_POLLER_SETTLE_MS: int(0, 60_000).default(1000),
  HOOKLINE_DB_POOL_SIZE: int(2, 500).default(20),
  HOOKLINE_DB_PREPARED_STATEMENTS: booleanish.default(true),
  HOOKLINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOOKLINE_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  HOOKLINE_METRICS_PORT: int(1, 65535).optional(),
  // When set, /metrics and /admin/v1 answer only on this listener (0: any free port), not on PORT.
  HOOKLINE_ADMIN_PORT: int(0, 65535).optional(),
  HOOKLINE_ADMIN_HOST: z.string().min(1).default('127.0.0.1'),
  HOOKLINE_TRUST_PROXY: trustProxy.default(false),
  // Deliveries go through this HTTP proxy by CONNECT (http://[user:password@]host:port).
  HOOKLINE_EGRESS_PROXY: z
    .url({ protocol: /^http$/, error: 'must be an http:// URL of an HTTP proxy (http://[user:password@]host:port)' })
    .transform((u) => new URL(u))
    .optional(),
  // Hosts reached directly: names (and their subdomains), IPs, CIDRs or *, comma-separated.
  HOOKLINE_EGRESS_NO_PROXY: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== ''),
    )
    .default([]),
  // PEM files: set both and the api's listeners serve HTTPS, reading them again when they change.
  HOOKLINE_TLS_CERT: z.string().min(1).optional(),
  HOOKLINE_TLS_KEY: z.string().min(1).optional(),
  // Per client address and api process; far above any honest client's mistakes.
  HOOKLINE_AUTH_FAILURE_LIMIT: int(0, 1_000_000).default(20),
  HOOKLINE_AUTH_FAILURE_WINDOW_SECONDS: int(1, 86400).default(60),
  HOOKLINE_BOOTSTRAP: booleanish.default(true),
  // Console sessions: idle for a working day at most, and a fresh sign-in every week.
  HOOKLINE_SESSION_IDLE_SECONDS: int(60, 30 * 86400).default(8 * 3600),
  HOOKLINE_SESSION_MAX_SECONDS: int(60, 365 * 86400).default(7 * 86400),
  // Failed sign-ins per account (the address typed) and per client address, per api process.
  HOOKLINE_SIGN_IN_ACCOUNT_LIMIT: int(0, 1_000_000).default(10),
  HOOKLINE_SIGN_IN_CLIENT_LIMIT: int(0, 1_000_000).default(50),
  HOOKLINE_SIGN_IN_WINDOW_SECONDS: int(1, 86400).default(900),
  // Invitations go out by email when set (smtp:// or smtps:// URL, nodemailer's syntax).
  HOOKLINE_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL')
    .optional(),
  HOOKLINE_SMTP_FROM: z.string().min(3).default('Hookline <hookline@localhost>'),
  // Password reset by email (needs HOOKLINE_SMTP_URL and HOOKLINE_PUBLIC_URL): links sent per person
  // per hour (every api process together), and requests per client address per hour (per api process).
  HOOKLINE_PASSWORD_RESET_EMAIL_LIMIT: int(1, 1000).default(3),
  HOOKLINE_PASSWORD_RESET_CLIENT_LIMIT: int(0, 1_000_000).default(20),
  // Per tenant, shared by every api process; far above a SaaS backend's normal traffic (see docs/api.md).
  HOOKLINE_API_RATE_LIMIT: z.coerce.number().min(0).max(1_000_000).default(1000),
  HOOKLINE_API_RATE_BURST: int(1, 10_000_000).optional(),
  // Per application, for portal sessions only: a browser session makes a few requests per page.
  HOOKLINE_PORTAL_RATE_LIMIT: z.coerce.number().min(0).max(1_000_000).default(20),
  HOOKLINE_PORTAL_RATE_BURST: int(1, 10_000_000).optional(),
  // Each endpoint multiplies every publish of its application into one more delivery (see README).
  HOOKLINE_MAX_ENDPOINTS_PER_APP: int(1, 100_000).default(50),
  HOOKLINE_RECOVER_MAX_DELIVERIES: int(1, 10_000_000).default(10_000),
});

export interface Config {
  databaseUrl: string | undefined;
  port: number;
  host: string;
  adminToken: string | undefined;
  dataDir: string;
  /** Set: the embedded PostgreSQL's port; unset: the one kept in the data folder. */
  embeddedPgPort: number | undefined;
  publicUrl: string | undefined;
  /** The legacy portal signing key (no key id of its own): it also verifies tokens without `kid`. */
  portalSigningKey: string | undefined;
  /** Portal signing keys by key id, the first signing; all of them verify. */
  portalSigningKeys: readonly { kid: string; secret: string }[] | undefined;
  /** Master keys of secrets at rest, the first one encrypting; unset: see openSecretBox. */
  encryptionKeys: readonly EncryptionKey[] | undefined;
  /** CSP `frame-ancestors` source list for every /portal response. */
  portalFrameAncestors: string;
  /** Origins besides its own that the portal may call (CSP connect-src and the portal's `apiBase`). */
  portalApiOrigins: readonly string[];
  allowPrivateTargets: string;
  retrySchedule: readonly number[];
  deliveryTimeoutMs: number;
  /** How long a stop (SIGTERM) waits for in-flight deliveries and requests before abandoning them to be retried. */
  shutdownTimeoutMs: number;
  autoDisableAfterSeconds: number;
  connectTimeoutMs: number;
  responseMaxBytes: number;
  deliveryConcurrency: number;
  endpointConcurrency: number;
  pollIntervalSeconds: number;
  superviseIntervalSeconds: number;
  payloadRetentionDays: number;
  messageRetentionDays: number;
  /** Audit records older than this are deleted by the maintenance. */
  auditRetentionDays: number;
  historyPartitionSeconds: number;
  queueRetentionSeconds: number;
  queueMaintenanceIntervalSeconds: number;
  /** Hookline's own maintenance (retention, re-encryption) runs every this many minutes of the hour. */
  maintenanceIntervalMinutes: number;
  maxBodyBytes: number;
  /** Bound on a list page's JSON: fewer items than `limit` (not done) when they would take more. */
  maxPageBytes: number;
  /** A poll reads only messages older than this (ms): a publish still committing cannot be skipped. */
  pollerSettleMs: number;
  dbPoolSize: number;
  /** Run hot statements as prepared (named) ones; off behind a pooler that cannot keep them. */
  dbPreparedStatements: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  role: 'all' | 'api' | 'worker';
  metricsPort: number | undefined;
  /** The operator listener (/metrics, /admin/v1) when they are not served on `port`. */
  adminPort: number | undefined;
  adminHost: string;
  /** Express's `trust proxy`: which X-Forwarded-For entries name the client. */
  trustProxy: boolean | number | string[];
  /** Set: deliveries go through this proxy (see createHttpSender). */
  egressProxy: { url: URL; noProxy: readonly string[] } | undefined;
  /** Set: the api's listeners serve HTTPS with this certificate chain and key (PEM files, reloaded on change). */
  tls: { certFile: string; keyFile: string } | undefined;
  /** Failed authentications a client address may make per window (0: no limit). */
  authFailureLimit: number;
  authFailureWindowSeconds: number;
  bootstrap: boolean;
  /** A console session ends this long after its last use... */
  sessionIdleSeconds: number;
  /** ...or this long after sign-in, whichever comes first. */
  sessionMaxSeconds: number;
  /** Failed sign-ins per account and per client address per window (0: no limit). */
  signInAccountLimit: number;
  signInClientLimit: number;
  signInWindowSeconds: number;
  /** SMTP server for invitations (nodemailer URL); unset: the link is returned to the inviter. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** Password reset links sent to one person per hour (counted in the database). */
  passwordResetEmailLimit: number;
  /** Password reset requests (and wrong links) per client address per hour, per api process (0: no limit). */
  passwordResetClientLimit: number;
  /** Tenant API requests per second, shared by every api process; 0: no limit. */
  apiRateLimit: number;
  /** Requests a tenant may make at once above the steady rate (default: two seconds' worth). */
  apiRateBurst: number;
  /** Portal-session requests per second per application (not counted against the tenant's); 0: no limit. */
  portalRateLimit: number;
  /** Portal-session requests an application may make at once above the steady rate (default: two seconds' worth). */
  portalRateBurst: number;
  /** Endpoints one application may have (creating more is a 409). */
  maxEndpointsPerApp: number;
  /** Failed deliveries one recovery re-queues at most (its task reports the rest). */
  recoverMaxDeliveries: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The environment with the settings of a config file (dotenv format: `NAME=value` lines, the same
 * names as the environment variables) beneath it: a variable set in the environment wins.
 */
export function withConfigFile(env: Record<string, string | undefined>, file: string | undefined): Record<string, string | undefined> {
  if (!file) return env;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { ...parseEnv(text), ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')) };
}

/**
 * Parses and validates the environment once. Every bad variable is reported by name in one error,
 * so a misconfigured deployment fails at start with a clear message instead of at first use.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  // Treat empty strings as unset, as shells and compose files often pass them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.HOOKLINE_TLS_CERT === undefined) !== (e.HOOKLINE_TLS_KEY === undefined)) {
    throw new ConfigError('invalid configuration:\n  HOOKLINE_TLS_CERT and HOOKLINE_TLS_KEY: set both (HTTPS) or neither (HTTP)');
  }
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST,
    adminToken: e.HOOKLINE_ADMIN_TOKEN,
    dataDir: path.resolve(e.HOOKLINE_DATA_DIR),
    embeddedPgPort: e.HOOKLINE_EMBEDDED_PG_PORT,
    publicUrl: e.HOOKLINE_PUBLIC_URL,
    portalSigningKey: e.HOOKLINE_PORTAL_SIGNING_KEY,
    portalSigningKeys: e.HOOKLINE_PORTAL_SIGNING_KEYS,
    encryptionKeys: e.HOOKLINE_ENCRYPTION_KEYS,
    portalFrameAncestors: e.HOOKLINE_PORTAL_FRAME_ANCESTORS,
    portalApiOrigins: Object.freeze(e.HOOKLINE_PORTAL_API_ORIGINS ?? []),
    allowPrivateTargets: e.HOOKLINE_ALLOW_PRIVATE_TARGETS,
    retrySchedule: Object.freeze(e.HOOKLINE_RETRY_SCHEDULE ?? [...DEFAULT_RETRY_SCHEDULE]),
    deliveryTimeoutMs: e.HOOKLINE_DELIVERY_TIMEOUT_MS,
    shutdownTimeoutMs: e.HOOKLINE_SHUTDOWN_TIMEOUT_MS,
    autoDisableAfterSeconds: e.HOOKLINE_AUTO_DISABLE_AFTER_SECONDS,
    connectTimeoutMs: e.HOOKLINE_CONNECT_TIMEOUT_MS,
    responseMaxBytes: e.HOOKLINE_RESPONSE_MAX_BYTES,
    deliveryConcurrency: e.HOOKLINE_DELIVERY_CONCURRENCY,
    endpointConcurrency: e.HOOKLINE_ENDPOINT_CONCURRENCY,
    pollIntervalSeconds: e.HOOKLINE_POLL_INTERVAL_SECONDS,
    superviseIntervalSeconds: e.HOOKLINE_SUPERVISE_INTERVAL_SECONDS,
    payloadRetentionDays: e.HOOKLINE_PAYLOAD_RETENTION_DAYS,
    messageRetentionDays: e.HOOKLINE_MESSAGE_RETENTION_DAYS,
    auditRetentionDays: e.HOOKLINE_AUDIT_RETENTION_DAYS,
    historyPartitionSeconds: e.HOOKLINE_HISTORY_PARTITION_SECONDS,
    queueRetentionSeconds: e.HOOKLINE_QUEUE_RETENTION_SECONDS,
    queueMaintenanceIntervalSeconds: e.HOOKLINE_QUEUE_MAINTENANCE_INTERVAL_SECONDS,
    maintenanceIntervalMinutes: e.HOOKLINE_MAINTENANCE_INTERVAL_MINUTES,
    maxBodyBytes: e.HOOKLINE_MAX_BODY_BYTES,
    maxPageBytes: e.HOOKLINE_MAX_PAGE_BYTES,
    pollerSettleMs: e.HOOKLINE_POLLER_SETTLE_MS,
    dbPoolSize: e.HOOKLINE_DB_POOL_SIZE,
    dbPreparedStatements: e.HOOKLINE_DB_PREPARED_STATEMENTS,
    logLevel: e.HOOKLINE_LOG_LEVEL,
    role: e.HOOKLINE_ROLE,
    metricsPort: e.HOOKLINE_METRICS_PORT,
    adminPort: e.HOOKLINE_ADMIN_PORT,
    adminHost: e.HOOKLINE_ADMIN_HOST,
    trustProxy: e.HOOKLINE_TRUST_PROXY,
    egressProxy: e.HOOKLINE_EGRESS_PROXY ? { url: e.HOOKLINE_EGRESS_PROXY, noProxy: e.HOOKLINE_EGRESS_NO_PROXY } : undefined,
    tls: e.HOOKLINE_TLS_CERT && e.HOOKLINE_TLS_KEY ? { certFile: e.HOOKLINE_TLS_CERT, keyFile: e.HOOKLINE_TLS_KEY } : undefined,
    authFailureLimit: e.HOOKLINE_AUTH_FAILURE_LIMIT,
    authFailureWindowSeconds: e.HOOKLINE_AUTH_FAILURE_WINDOW_SECONDS,
    bootstrap: e.HOOKLINE_BOOTSTRAP,
    sessionIdleSeconds: e.HOOKLINE_SESSION_IDLE_SECONDS,
    sessionMaxSeconds: e.HOOKLINE_SESSION_MAX_SECONDS,
    signInAccountLimit: e.HOOKLINE_SIGN_IN_ACCOUNT_LIMIT,
    signInClientLimit: e.HOOKLINE_SIGN_IN_CLIENT_LIMIT,
    signInWindowSeconds: e.HOOKLINE_SIGN_IN_WINDOW_SECONDS,
    smtpUrl: e.HOOKLINE_SMTP_URL,
    smtpFrom: e.HOOKLINE_SMTP_FROM,
    passwordResetEmailLimit: e.HOOKLINE_PASSWORD_RESET_EMAIL_LIMIT,
    passwordResetClientLimit: e.HOOKLINE_PASSWORD_RESET_CLIENT_LIMIT,
    apiRateLimit: e.HOOKLINE_API_RATE_LIMIT,
    apiRateBurst: e.HOOKLINE_API_RATE_BURST ?? Math.max(1, Math.ceil(2 * e.HOOKLINE_API_RATE_LIMIT)),
    portalRateLimit: e.HOOKLINE_PORTAL_RATE_LIMIT,
    portalRateBurst: e.HOOKLINE_PORTAL_RATE_BURST ?? Math.max(1, Math.ceil(2 * e.HOOKLINE_PORTAL_RATE_LIMIT)),
    maxEndpointsPerApp: e.HOOKLINE_MAX_ENDPOINTS_PER_APP,
    recoverMaxDeliveries: e.HOOKLINE_RECOVER_MAX_DELIVERIES,
  });
}
