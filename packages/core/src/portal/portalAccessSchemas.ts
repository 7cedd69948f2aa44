import { z } from 'zod';
import { applicationInSchema } from '../applications/applicationSchemas.ts';
import { portalBrandOverrideSchema } from '../tenants/portalBrand.ts';

export const PORTAL_CAPABILITIES = ['ViewBase', 'ViewEndpointSecret', 'ManageEndpointSecret', 'ManageTransformations', 'CreateAttempts', 'ManageEndpoint'] as const;
export const portalCapabilitySchema = z.enum(PORTAL_CAPABILITIES);
export type PortalCapability = z.output<typeof portalCapabilitySchema>;

/** The languages the portal speaks (portal/src/i18n/catalog.ts LANGUAGES; a test keeps the two equal). */
export const PORTAL_LANGUAGES = ['en', 'de', 'fr', 'es', 'ja', 'ar'] as const;

/** The longest a portal token lives (Svix's maximum, 7 days). */
export const MAX_PORTAL_TOKEN_SECONDS = 7 * 86400;

export const appPortalAccessInSchema = z
  .object({
    application: applicationInSchema.nullish(),
    /** Deprecated in Svix in favour of capabilities: read-only means ViewBase alone. */
    readOnly: z.boolean().nullish(),
    capabilities: z.array(portalCapabilitySchema).max(PORTAL_CAPABILITIES.length).nullish(),
    featureFlags: z.array(z.string().min(1).max(256)).max(50).optional(),
    /** Seconds; Svix allows 1 hour to 7 days. */
    expiry: z.number().int().min(3600).max(MAX_PORTAL_TOKEN_SECONDS).nullish(),
    sessionId: z.string().min(1).max(256).nullish(),
    /** Hookline extension: the portal's language, put in the link as `?lang=`; left out, the customer's browser decides. */
    lang: z.enum(PORTAL_LANGUAGES).nullish(),
    /** Hookline extension: this link's brand, field by field over the tenant's settings. */
    brand: portalBrandOverrideSchema.nullish().describe("Hookline extension: this link's brand; each field it names wins over the tenant's settings"),
  })
  .meta({ id: 'AppPortalAccessIn' });
export type AppPortalAccessIn = z.output<typeof appPortalAccessInSchema>;

export const appPortalAccessOutSchema = z.object({ url: z.string(), token: z.string() }).meta({ id: 'AppPortalAccessOut' });
export type AppPortalAccessOut = z.output<typeof appPortalAccessOutSchema>;

/** Svix's ApplicationTokenExpireIn: expire the application's portal tokens issued so far. */
export const appPortalExpireAllInSchema = z
  .object({
    /** Seconds until the tokens stop working (default: at once). */
    expiry: z.number().int().min(0).max(MAX_PORTAL_TOKEN_SECONDS).nullish(),
    /** Only the tokens issued with one of these session ids (default: every token). */
    sessionIds: z.array(z.string().min(1).max(256)).max(100).optional(),
  })
  .meta({ id: 'ApplicationTokenExpireIn' });
export type AppPortalExpireAllIn = z.output<typeof appPortalExpireAllInSchema>;
