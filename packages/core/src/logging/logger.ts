import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config.ts';

/**
 * Fields that would hold a credential if any log call ever passed one: pino replaces their values
 * with "[Redacted]" before a line is written. No call logs them today (request logs carry method,
 * path and status only; secrets are encrypted and never part of a logged object); this is the net
 * under that rule, for headers of a logged request or response and for secret-named fields.
 */
export const LOG_REDACT_PATHS: readonly string[] = [
  ...['authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token', 'proxy-authorization'].flatMap((h) => [
    `req.headers["${h}"]`,
    `res.headers["${h}"]`,
    `headers["${h}"]`,
    `*.headers["${h}"]`,
  ]),
  ...[
    'secret',
    'secrets',
    'token',
    'apiKey',
    'adminToken',
    'password',
    'connectionString',
    'encryptionKeys',
    'portalSigningKey',
    'portalSigningKeys',
    'portalKey',
    'portalKeys',
  ].flatMap((name) => [name, `*.${name}`]),
];

/** Hookline's logger: JSON lines (pino) at the configured level, with credentials redacted. */
export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: [...LOG_REDACT_PATHS], censor: '[Redacted]' } }, destination);
}
