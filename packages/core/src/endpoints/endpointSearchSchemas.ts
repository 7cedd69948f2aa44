import { z } from 'zod';
import { listQueryOf } from '../schemas/common.ts';
import { endpointOutSchema } from './endpointSchemas.ts';

/** A URL host as typed in a search box: a name or an address, no scheme, port or path. */
const hostSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%-]+|[0-9A-Fa-f:.]+)$/, 'must be a host name or address, without scheme, port or path (e.g. api.example.com)')
  // A URL writes an IPv6 address in brackets.
  .transform((h) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h).toLowerCase());

/** `GET /api/v1/endpoints`: the tenant's endpoints across its applications. */
export const endpointSearchQuerySchema = listQueryOf('ep').extend({
  state: z
    .enum(['failing', 'disabled', 'enabled'])
    .optional()
    .describe('failing: enabled, and every attempt since `failingSince` failed; disabled; enabled: not disabled (failing or not)'),
  host: hostSchema.optional().describe("Only endpoints whose URL's host is this one or a subdomain of it"),
});
export type EndpointSearchQuery = z.output<typeof endpointSearchQuerySchema>;

const lastAttemptSchema = z.object({
  id: z.string(),
  msgId: z.string(),
  timestamp: z.date(),
  status: z.number().int().describe('0 success, 2 fail'),
  responseStatusCode: z.number().int().describe('0: no response (timeout, network error, refused target)'),
  response: z.string().describe('The response body (or the network error), its first 500 characters'),
});

/** An endpoint in the tenant-wide list: Svix's EndpointOut, with its application, failing state and last attempt. */
export const endpointSearchOutSchema = endpointOutSchema
  .extend({
    application: z.object({ id: z.string(), uid: z.string().nullable(), name: z.string() }),
    failingSince: z.date().nullable().describe('Since when every attempt to it failed; null: its last attempt succeeded, or none was made yet'),
    lastAttempt: lastAttemptSchema.nullable().describe('Its most recent attempt; null: none yet'),
    lastError: lastAttemptSchema.nullable().describe('Its most recent attempt when that one failed (the error it is failing with); else null'),
  })
  .meta({ id: 'EndpointSearchOut' });
export type EndpointSearchOut = z.output<typeof endpointSearchOutSchema>;
