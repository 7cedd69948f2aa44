import { z } from 'zod';
import { frameAncestorsSchema } from '../config.ts';
import { signatureHeaderNamesSchema } from '../delivery/signatureHeaderNames.ts';
import { portalBrandSchema } from './portalBrand.ts';
import { portalLogoSchema } from './portalLogo.ts';
import { retryScheduleSchema } from './tenantSchemas.ts';

// The same plain values the portal itself accepts from its URL (portal/src/embed.ts): they end up in CSS.
const COLOR = /^(#?[0-9a-fA-F]{6}|#?[0-9a-fA-F]{8}|#[0-9a-fA-F]{3,4}|[a-zA-Z]{3,20}|(rgb|hsl)a?\([\d\s.,%]+\))$/;
const FONT = /^[\w\s,'"-]{1,120}$/;

export const portalThemeSchema = z
  .strictObject({
    primaryColor: z.string().regex(COLOR, 'expected a CSS colour: #rrggbb, a name, rgb(…) or hsl(…)').optional(),
    darkMode: z.boolean().optional(),
    fontFamily: z.string().regex(FONT, 'expected a CSS font list of letters, digits, spaces, commas, quotes and dashes (at most 120)').optional(),
  })
  .meta({ id: 'PortalTheme' });

const portalSettingsOut = z.object({
  theme: portalThemeSchema.nullable().describe('Added to every portal link made for this tenant (app-portal-access); null: none'),
  frameAncestors: z.string().nullable().describe("CSP frame-ancestors of this tenant's portal links, within the installation's; null: the installation's"),
  logo: z.string().nullable().describe("The logo this tenant's portal shows (an https URL or a data:image URL); null: none"),
  brand: portalBrandSchema.nullable().describe("The brand of this tenant's portal (a link may override it); null: Hookline's"),
});

export const httpEndpointsOutSchema = z
  .object({
    count: z.number().int().describe("How many of the tenant's endpoints have an http:// URL"),
    data: z
      .array(
        z.object({
          appId: z.string(),
          endpointId: z.string(),
          url: z.string(),
          operational: z.boolean().describe('An operational webhook endpoint (appId is then the hidden application that holds them)'),
        }),
      )
      .describe('The first 100 of them, by id'),
  })
  .meta({ id: 'HttpEndpointsOut' });
export type HttpEndpointsOut = z.output<typeof httpEndpointsOutSchema>;

export const tenantSettingsOutSchema = z
  .object({
    retrySchedule: retryScheduleSchema.nullable().describe("Delays in seconds before each retry of this tenant's new attempts; null: the installation's"),
    retentionDays: z.number().nullable().describe("Payloads of this tenant's older messages are expired; null: the installation's"),
    signatureHeaderNames: signatureHeaderNamesSchema.describe("Names of the signature headers of this tenant's deliveries (an endpoint may choose its own)"),
    portal: portalSettingsOut,
    httpsOnly: z.boolean().describe('Endpoint URLs must be https://: http:// ones are refused (422) when written and not delivered to'),
    httpEndpoints: httpEndpointsOutSchema.describe('The endpoints an https-only setting refuses to deliver to (or would): those whose URL is http://'),
    installation: z
      .object({
        retrySchedule: z.array(z.number()),
        messageRetentionDays: z.number(),
        payloadRetentionDays: z.number(),
        portalFrameAncestors: z.string(),
      })
      .describe("The installation's values: what null means, and the bounds of the tenant's"),
  })
  .meta({ id: 'TenantSettingsOut' });
export type TenantSettingsOut = z.output<typeof tenantSettingsOutSchema>;

export const tenantSettingsPatchSchema = z
  .strictObject({
    retrySchedule: retryScheduleSchema.nullable().optional(),
    retentionDays: z.number().int().min(1).max(3650).nullable().optional().describe("Whole days, at most the installation's message retention"),
    signatureHeaderNames: signatureHeaderNamesSchema.optional(),
    httpsOnly: z.boolean().optional(),
    portal: z
      .strictObject({
        theme: portalThemeSchema.nullable().optional(),
        frameAncestors: frameAncestorsSchema.nullable().optional().describe("Space-separated sources, each one of the installation's (or 'none')"),
        logo: portalLogoSchema.nullable().optional(),
        brand: portalBrandSchema.nullable().optional().describe('Replaces the whole brand; null: none'),
      })
      .optional(),
  })
  .meta({ id: 'TenantSettingsPatch' });
export type TenantSettingsPatch = z.output<typeof tenantSettingsPatchSchema>;
