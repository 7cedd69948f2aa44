import { z } from 'zod';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** True for an issuer Hookline may reach over plain HTTP: only one on this machine (development, tests). */
export const isLoopbackHttp = (issuer: URL): boolean => issuer.protocol === 'http:' && LOOPBACK_HOSTS.has(issuer.hostname);

const issuerSchema = z
  .url()
  .max(2048)
  // zod runs refinements after a failed url() check too: a value that is no URL must not throw here (a 500).
  .refine((value) => {
    const url = URL.parse(value);
    return !url || url.protocol === 'https:' || isLoopbackHttp(url);
  }, 'must be an https URL (plain http only on loopback)')
  .refine((value) => {
    const url = URL.parse(value);
    return !url || (!url.search && !url.hash);
  }, 'must have no query or fragment');

const domainSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'must be a domain name such as example.com')
  .transform((d) => d.toLowerCase());

export const ssoRoleSchema = z.enum(['admin', 'developer', 'viewer']).meta({ id: 'SsoRole' });

export const ssoConfigInSchema = z
  .object({
    issuer: issuerSchema.describe("The OpenID provider's issuer identifier (its discovery document is read from it)"),
    clientId: z.string().min(1).max(512),
    clientSecret: z.string().min(1).max(2048).optional().describe('Required the first time; leave out to keep the stored one'),
    allowedEmailDomains: z.array(domainSchema).max(100).describe('Verified addresses in these domains may sign in (none: nobody)'),
    defaultRole: ssoRoleSchema.describe('The role of a person provisioned at their first sign-in'),
    jitProvisioning: z.boolean().describe('Create a member at the first sign-in; off: only members and invited addresses may sign in'),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'SsoConfigIn' });
export type SsoConfigIn = z.output<typeof ssoConfigInSchema>;

export const ssoConfigOutSchema = z
  .object({
    issuer: z.string(),
    clientId: z.string(),
    clientSecretSet: z.boolean().describe('The secret itself is never returned'),
    allowedEmailDomains: z.array(z.string()),
    defaultRole: ssoRoleSchema,
    jitProvisioning: z.boolean(),
    enabled: z.boolean(),
    redirectUri: z.string().describe("Register this as the client's redirect URI at the provider"),
    startUrl: z.string().describe('Where the console sends a person to sign in with this tenant’s provider'),
    updatedAt: z.date(),
  })
  .meta({ id: 'SsoConfigOut' });
export type SsoConfigOut = z.output<typeof ssoConfigOutSchema>;

export const ssoStartQuerySchema = z.object({ tenant: z.string().min(1).max(64) }).meta({ id: 'SsoStartQuery' });

export const ssoDiscoveryOutSchema = z.object({ enabled: z.boolean() }).meta({ id: 'SsoDiscoveryOut' });
